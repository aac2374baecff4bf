import pytest

from reportmine.decode import decode_bytes
from reportmine.errors import DecodeError

SIMPLIFIED = "今年以来,全县共检查企业128家次,发现安全隐患242项,整改率95.6%,处罚金额489余万元。"
TRADITIONAL = "今年以來,全縣共檢查企業128家次,發現安全隱患242項,整改率95.6%,處罰金額489餘萬元。"


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_simplified_text_in_each_encoding(encoding, expected):
    decoded = decode_bytes(SIMPLIFIED.encode(encoding))
    assert decoded.text == SIMPLIFIED
    assert decoded.encoding == expected


def test_big5_traditional_is_not_mistaken_for_gb18030():
    decoded = decode_bytes(TRADITIONAL.encode("big5"))
    assert decoded.encoding == "big5"
    assert decoded.text == TRADITIONAL


def test_gb18030_traditional_is_not_mistaken_for_big5():
    decoded = decode_bytes(TRADITIONAL.encode("gb18030"))
    assert decoded.encoding == "gb18030"
    assert decoded.text == TRADITIONAL


def test_empty_and_binary_inputs_raise_decode_error():
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(b"")
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(bytes(range(256)) * 4)


def test_stray_bytes_become_a_counted_warning():
    data = SIMPLIFIED.encode("utf-8")
    data = data[:20] + b"\xff\xfe\xff" + data[20:]
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.warnings and "could not be decoded" in decoded.warnings[0].message
    assert decoded.text.count("\ufffd") >= 1
