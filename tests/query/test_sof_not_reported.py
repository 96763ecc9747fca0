"""Every "not reported in the source" of `ketcli sof` — a field or a gap — was looked for in the
record's own quote: for each kind of statement, the words that would answer it must be absent
from the quote (DESIGN.md: "Not reported in the source" is a claim about the text too)."""

import re

import pytest

NR = "not reported in the source"

# The words that would answer each field, were they in the trial's quote.
ANSWERS = {
    "population": r"\b(patients?|participants?|individuals|people|adults|subjects|volunteers|mice|rats|rodents?"
                  r"|animals?|preclinical)\b",
    "participants": r"\b\d[\d,]* (participants|patients|subjects|individuals|people|adults|mice|rats)\b|\bn ?=",
    "outcome": r"\b(effects?|effective|response|remission|relapse|symptoms|delirium|withdrawal|blood pressure"
               r"|activity|mood|signaling|side effects)\b",
    "outcome measure": r"\b(measured by|scale|inventory|questionnaire|rating|score|mmHg)\b",
    "setting": r"\b(Europe|European|America|American|Asia|Africa|country|countries|inpatients?|outpatients?"
               r"|hospitals?|hospitali[sz]ed|clinics?|wards?|surgery|community)\b",
    "setting beyond": r"\b(country|countries|inpatients?|outpatients?|hospitals?|hospitali[sz]ed|clinics?|wards?"
                      r"|Sweden|Swedish|United States|USA|UK)\b",
    # a time point ("six months after remission"), not a frequency ("twice a week")
    "follow-up": r"\b(minutes?|hours?|days?|weeks?|months?|years?) (after|later|post)\b|\bfollow(ed)?[- ]up\b",
    "relative effect": r"risk ratio|odds ratio|relative risk|hazard ratio|\bRR\b|\bOR\b|\bHR\b",
    "confidence interval": r"confidence interval|\bCI\b",
    "certainty": r"certainty|\bGRADE\b|risk of bias|quality of (the )?evidence",
}
# Each gap the summary lists, read as the field it says is missing.
GAP_FIELDS = [
    (r"number of participants$", "participants"),
    (r"population$", "population"),
    (r"outcome measure\b", "outcome measure"),
    (r"any number for an outcome", "numbers"),
    (r": relative effect", "relative effect"),
    (r": confidence interval$", "confidence interval"),
    (r"setting \(country", "setting"),
    (r"setting beyond", "setting beyond"),
    (r"follow-up \(", "follow-up"),
    (r"certainty of the evidence", "certainty"),
]


@pytest.fixture(scope="module")
def data():
    from ketcli.data.dataset import load
    return load(use_cache=False)


@pytest.fixture(scope="module")
def summary(data):
    from ketcli.query.sof import sof
    return sof(data, [])  # every trial and study of the review


@pytest.fixture(scope="module")
def trials(data):
    return {t["id"]: t for t in data["trials"]}


def quote_of(trial: dict) -> str:
    return " ".join(trial["quote"])


def silent(field: str, trial: dict) -> bool:
    """True where the trial's quote holds none of the words that would answer `field`."""
    words = quote_of(trial)
    if field == "numbers":  # every number printed is the study's size, a study detail or a time
        accounted = {float(trial["n"])} if trial["n"] is not None else set()
        accounted |= {float(q["value"]) for q in trial["characteristics"] + trial["results"] if q["value"] is not None}
        unbracketed = re.sub(r"\[[\d,\s]+\]", "", words)
        return all(float(n) in accounted for n in re.findall(r"\d+(?:\.\d+)?", unbracketed))
    if field == "confidence interval" and any(q["ci_low"] is not None for q in trial["results"]):
        return True  # the printed interval is on the row it belongs to
    return re.search(ANSWERS[field], words, flags=re.I if field != "relative effect" else 0) is None


def statements(summary: dict) -> list[tuple[str, str]]:
    """(trial id, field) for every "not reported" the summary says, fields and gaps alike."""
    found = []
    names = {t["name"]: t["id"] for t in summary["trials"]}
    for part in ("population", "setting"):
        for line in summary["header"][part]:
            name, _, value = line.rpartition(": ")
            if value == NR:
                found.append((names[name], part))
    for t in summary["trials"]:
        for field, key in (("population", "population"), ("outcome measure", "outcome_measure"),
                           ("outcome", "outcome"), ("setting", "setting"), ("follow-up", "follow_up")):
            if t[key] == NR:
                found.append((t["id"], field))
        for row in t["rows"]:
            for field, key in (("outcome", "outcome"), ("participants", "participants"), ("result", "result")):
                if row[key] == NR:
                    found.append((t["id"], field))
            assert NR not in row["comments"]
        for gap in t["gaps"]:
            fields = [f for pattern, f in GAP_FIELDS if re.search(pattern, gap)]
            assert len(fields) == 1, f"a gap the table does not read: {gap!r}"
            found.append((t["id"], fields[0]))
    return found


def test_every_not_reported_of_sof_was_looked_for_in_the_record_s_quote(summary, trials):
    said = statements(summary)
    assert len(said) > 100  # every trial, every field: the whole summary, not a sample
    unknown = {f for _, f in said} - set(ANSWERS) - {"numbers"}
    assert not unknown, f"no answer words for {unknown}"
    false = [(tid, field) for tid, field in said if not silent(field, trials[tid])]
    assert false == []


def test_the_header_says_what_each_trial_prints_of_its_setting(summary):
    settings = dict(line.rpartition(": ")[::2] for line in summary["header"]["setting"])
    assert settings["KetECT: ketamine vs ECT in Europe (Ekstrand 2022)"].startswith("Europe (as printed;")
    assert "not printed" in settings["KetECT: ketamine vs ECT in Europe (Ekstrand 2022)"]


def by_id(summary, ident):
    return next(t for t in summary["trials"] if t["id"] == ident)


def test_the_five_named_records_say_what_their_quotes_print(summary):
    ketect = by_id(summary, "ketect-european-rct")
    assert ketect["rows"][0]["outcome"].startswith("reduction of depressive symptoms and the rates of remission")
    assert ketect["setting"].startswith("Europe")
    assert "setting (country, inpatient or outpatient)" not in ketect["gaps"]
    assert by_id(summary, "hudetz2009-postoperative-delirium")["rows"][0]["outcome"].startswith("postoperative delirium")
    assert "withdrawal syndrome" in by_id(summary, "daly2019-297-participants")["rows"][0]["outcome"]
    hare = by_id(summary, "hare2019-mpfc-dopamine-mice")
    assert hare["population"] == "mice" and "population" not in hare["gaps"]
    kato = by_id(summary, "kato2021-relapse-meta-analysis")
    assert kato["follow_up"].startswith("six months after remission")
    assert not any(g.startswith("follow-up") for g in kato["gaps"])
