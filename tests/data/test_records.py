"""data/records.py is what the models give (scripts/records.py writes it): a model changed
without its record, or a record edited by hand, fails here."""

import subprocess
import sys
from pathlib import Path

import ketcli
from ketcli.data import models, records

ROOT = Path(__file__).resolve().parents[2]


def test_the_records_are_generated_from_the_models():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "records.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_each_record_has_every_field_of_its_model_and_a_dumped_record_has_every_key():
    for record in records.RECORDS:
        model = getattr(models, record.__name__)
        assert set(record.__annotations__) == set(model.model_fields), record.__name__
        assert record.__required_keys__ == frozenset(model.model_fields)
    reference = ketcli.open().cite(11)["references"][0]
    assert set(reference) == set(records.Reference.__annotations__)
