"""`write_json` streams the plan JSON in pieces (lists a chunk of elements at a time): the text must be
byte-identical to encoding the whole document at once, wherever a chunk boundary falls."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from iac._jsonio import dumps
from iac.plan import jsonplan

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=6),
                     st.decimals(allow_nan=False, allow_infinity=False, places=3).map(Decimal))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=7) | st.dictionaries(st.text(max_size=4), inner,
                                                                                            max_size=5), max_leaves=30)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(document=st.dictionaries(st.sampled_from(["resource_changes", "planned_values", "x"]), _VALUES, max_size=3),
       chunk=st.integers(1, 4))
def test_streamed_text_equals_the_whole_encoding(document: dict[str, Any], chunk: int) -> None:
    streamed = io.StringIO()
    with patch.object(jsonplan, "_CHUNK", chunk):
        jsonplan.write_json(document, streamed)
    assert streamed.getvalue() == dumps(document, indent=None) + "\n"


def test_a_long_list_crosses_chunk_boundaries() -> None:
    document = {"resource_changes": [{"address": f"a.b{i}", "n": Decimal("1.50")} for i in range(2_345)]}
    streamed = io.StringIO()
    jsonplan.write_json(document, streamed)
    assert streamed.getvalue() == dumps(document, indent=None) + "\n"
    assert streamed.getvalue().count('"address"') == 2_345
