"""Factoring a member's identity out of its plan: identity fields, templates, instantiation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iac.fleet.template import Identity, identities, instantiate, template, template_address


@dataclass(frozen=True)
class Member:
    key: str
    cost_center: str
    vpc: str | None = None
    max_workers: int = 8
    subnets: tuple[str, ...] = ()


def test_identity_is_the_key_and_every_field_distinct_in_every_member() -> None:
    members = [Member("fraud", "cc-1", "vpc-a", 8, ("s-1a",)), Member("search", "cc-2", "vpc-b", 4, ("s-2a",)),
               Member("risk", "cc-3", None, 8, ("s-3a",))]
    found = identities(members, [m.key for m in members])
    # vpc is missing in one member, max_workers repeats: settings, not identity
    assert [dict(i.pairs) for i in found] == [
        {"key": "fraud", "cost_center": "cc-1", "subnets[0]": "s-1a"},
        {"key": "search", "cost_center": "cc-2", "subnets[0]": "s-2a"},
        {"key": "risk", "cost_center": "cc-3", "subnets[0]": "s-3a"},
    ]
    lengths = [len(value) for _, value in found[1].pairs]
    assert lengths == sorted(lengths, reverse=True)  # the longest value is replaced first


def test_attribute_names_and_map_keys_are_never_templated() -> None:
    identity = Identity("security", (("key", "security"),))
    value = {"data_security_mode": "USER_ISOLATION", "custom_tags": {"security": "security-team"}}
    assert template(value, identity) == {"data_security_mode": "USER_ISOLATION",
                                         "custom_tags": {"security": "\x00key\x01-team"}}


def test_a_placeholder_is_never_searched_again() -> None:
    """A key that is a substring of another identity field's name must not match inside its placeholder."""
    identity = Identity("security", (("security_group_ids[0]", "sg-0018"), ("key", "security")))
    assert template("sg-0018 security", identity) == "\x00security_group_ids[0]\x01 \x00key\x01"
    assert instantiate(template("sg-0018 security", identity), identity) == "sg-0018 security"


def test_address_keeps_its_resource_type() -> None:
    identity = Identity("catalog", (("key", "catalog"),))
    assert template_address("databricks_catalog.catalog", "databricks_catalog", identity) == "databricks_catalog.\x00key\x01"
    assert template_address("databricks_grants.catalog_catalog", "databricks_grants", identity) == \
        "databricks_grants.\x00key\x01_\x00key\x01"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(blacklist_characters="\x00\x01")),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20)


@given(json_values, st.text(alphabet="abcdefg-_", min_size=2, max_size=6),
       st.text(alphabet="abcdefg-_0123", min_size=2, max_size=8))
def test_instantiate_inverts_template(value: object, key: str, other: str) -> None:
    pairs = sorted({("key", key), ("cost_center", other)} if other != key else {("key", key)},
                   key=lambda p: (-len(p[1]), p[0]))
    identity = Identity(key, tuple(pairs))
    assert instantiate(template(value, identity), identity) == value


@pytest.mark.parametrize("key", ["security", "vision", "identity", "catalog", "fleet", "hr"])
def test_prod_member_names_that_occur_inside_literals_template_only_their_own_values(key: str) -> None:
    identity = Identity(key, (("key", key),))
    literals = {"data_security_mode": "USER_ISOLATION", "x": "provisioning_info", "y": "identity_federation",
                "z": "catalog_name", "w": "fleet"}
    templated = template(literals, identity)
    assert instantiate(templated, identity) == literals
