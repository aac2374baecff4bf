import pytest

from reportmine.errors import AlignmentError
from reportmine.offsets import ChainedMap, OffsetMap


def test_copy_and_replacement_pieces():
    # input "ab&amp;cd" -> output "ab&cd": the entity maps back to its whole source
    mapping = OffsetMap(9)
    mapping.add_copy(0, 2)
    mapping.add_replacement(2, 7, 1)
    mapping.add_copy(7, 9)
    assert mapping.out_length == 5
    assert mapping.to_input(0, 2) == (0, 2)
    assert mapping.to_input(2, 3) == (2, 7)
    assert mapping.to_input(1, 4) == (1, 8)
    assert mapping.to_input(3, 5) == (7, 9)


def test_deleted_input_is_skipped():
    # "區(qū)域" -> "區域": the annotation is gone, spans across it widen over it
    mapping = OffsetMap(7)
    mapping.add_copy(0, 1)
    mapping.add_copy(5, 7)
    assert mapping.to_input(0, 2) == (0, 6)
    assert mapping.to_input(1, 2) == (5, 6)


def test_chained_maps_compose():
    first = OffsetMap(10)
    first.add_copy(2, 10)  # drop 2 chars at the front
    second = OffsetMap(8)
    second.add_copy(0, 3)
    second.add_copy(4, 8)  # drop 1 char in the middle
    assert ChainedMap([first, second]).to_original(2, 4) == (4, 7)  # out 2..4 -> mid 2..5 -> in 4..7


def test_bad_spans_raise():
    mapping = OffsetMap.identity(3)
    with pytest.raises(AlignmentError):
        mapping.to_input(2, 2)
    with pytest.raises(AlignmentError):
        mapping.to_input(0, 4)
