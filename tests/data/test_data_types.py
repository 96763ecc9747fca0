"""`Data[name]` and `Data.source` are typed as the records they hold (data/records.py), so
mypy checks the keys a query reads. Before: both returned dict[str, Any]."""

import typing

from ketcli.data import dataset, records
from ketcli.data.dataset import COLLECTIONS, Data

NAMESPACE = {**vars(dataset), **vars(records)}


def test_every_collection_of_the_file_format_has_its_typed_accessor():
    typed = {}
    for overload in typing.get_overloads(Data.__getitem__):
        hints = typing.get_type_hints(overload, globalns=NAMESPACE)
        (key,) = typing.get_args(hints["name"])
        typed[key] = hints["return"]
    lists = {name: hint for name, hint in typing.get_type_hints(records.Dataset).items()
             if typing.get_origin(hint) is list}
    assert typed == lists  # a collection the format gains needs its overload, with the same record type
    assert set(COLLECTIONS) <= set(typed)
    assert set(typing.get_args(dataset.Collection)) == set(COLLECTIONS)


def test_the_source_is_typed_as_the_review_record():
    assert typing.get_type_hints(Data.source.fget, globalns=NAMESPACE)["return"] is records.Source


def test_the_typed_accessors_return_the_records_themselves():
    data = dataset.load()
    claim = data["claims"][0]
    assert set(claim) == set(records.Claim.__annotations__)
    assert set(data.source) <= set(records.Source.__annotations__)
    assert data["references"][0] is data.references[data["references"][0]["number"]]
