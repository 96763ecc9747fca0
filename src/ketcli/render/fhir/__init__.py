"""The dataset as one FHIR R5 Bundle (type collection) of EBM-on-FHIR resources, as plain dicts.

- a Citation for the review and one for each of its references, as printed (citations.py);
- an EvidenceVariable for each treatment, trial population and outcome the results use,
  and an Evidence for each printed result of each trial, with the review's own words
  (evidence.py);
- values.py: what a FHIR value may hold; a value it cannot is left out with a note.

`bundle(data)` is pure and ordered by the dataset: the same dataset gives the same dict,
and `to_json` the same bytes. Entries are addressed by `urn:uuid:` fullUrls (UUID 5 of the
review's DOI and the resource's type and id), which references inside the Bundle use.
Nothing here imports more than the standard library (docs/fhir.md says what maps to what).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ketcli.render.fhir import citations, composition, evidence
from ketcli.render.fhir.values import Ids, Leftovers, markdown, pruned

if TYPE_CHECKING:
    from ketcli.data.dataset import Data
    from ketcli.data.records import Quantity, Trial

class _Builder:
    def __init__(self, data: Data) -> None:
        self.data = data
        self.ids = Ids()
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, "https://doi.org/" + str(data.source["doi"]))
        self.entries: list[dict] = []
        self.variables: list[dict] = []
        self.treatment_variables: dict[str, dict] = {}
        self.arm_variables: dict[tuple[str, str], dict] = {}
        self.treatments = data.treatments
        self.pending_references: list[dict] = []
        self.evidence: list[dict] = []
        self.compositions: list[dict] = []
        self.results: dict[str, list[tuple[Quantity, dict, dict]]] = {}

    def address(self, resource_type: str, id_: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.namespace, f'{resource_type}/{id_}')}"

    def add(self, resource: dict, into: list[dict] | None = None) -> str:
        url = self.address(resource["resourceType"], resource["id"])
        (self.entries if into is None else into).append({"fullUrl": url, "resource": resource})
        return url

    # --- Citations ------------------------------------------------------------------

    def review(self) -> dict:
        s = self.data.source
        left = Leftovers()
        artifact = citations.cited_artifact(
            s, left, pages=s.get("article_number"), date=left.date(s.get("published") or s.get("year"), "publication date"),
            issue=s.get("issue"))
        artifact["publicationForm"][0]["copyright"] = left.markdown(s.get("license"), "license")
        artifact["relatesTo"] = [
            {"type": "cites", "label": f"[{n}]",
             "resourceReference": {"reference": ref["fullUrl"], "display": ref["display"]}}
            for n, ref in self.references.items()
        ]
        resource: dict = {
            "resourceType": "Citation", "id": self.ids.new("review"), "status": "active",
            "note": [{"authorString": evidence.DATASET_NOTE, "text": text}
                     for text in (left.markdown(t, "note") for t in s.get("notes", [])) if text],
            "citedArtifact": artifact,
        }
        resource["note"] += left.annotations()
        url = self.add(resource)
        display = _display(s)
        return {"fullUrl": url, "display": display, "url": citations.doi_link(s.get("doi"))}

    def reference_citations(self) -> dict[int, dict]:
        found: dict[int, dict] = {}
        for ref in self.data["references"]:
            left = Leftovers()
            artifact = citations.cited_artifact(ref, left, pages=ref.get("pages"),
                                                date=left.date(ref.get("year"), "year"))
            resource: dict = {
                "resourceType": "Citation", "id": self.ids.new("reference", ref["number"], ref["key"]),
                "status": "active",
                "note": [{"authorString": evidence.DATASET_NOTE, "text": text}
                         for text in (left.markdown(t, "note") for t in ref.get("notes", [])) if text],
                "citedArtifact": artifact,
            }
            resource["note"] += left.annotations()
            url = self.address("Citation", resource["id"])
            self.pending_references.append({"fullUrl": url, "resource": resource})
            found[ref["number"]] = {"fullUrl": url, "display": _display(ref) or f"reference {ref['number']}"}
        return found

    # --- EvidenceVariables ----------------------------------------------------------

    def variable(self, id_parts: tuple, title: str, description: str | None, notes: list[dict] | None = None) -> dict:
        left = Leftovers()
        shown = left.text(title, "title") or "(untitled)"
        resource = {
            "resourceType": "EvidenceVariable", "id": self.ids.new(*id_parts), "title": shown,
            "status": "active", "description": left.markdown(description, "description"),
            "note": (notes or []) + left.annotations(),
        }
        url = self.add(resource, self.variables)
        return {"fullUrl": url, "title": shown}

    def treatment(self, treatment_id: str) -> dict:
        if treatment_id not in self.treatment_variables:
            t = self.treatments[treatment_id]
            self.treatment_variables[treatment_id] = self.variable(
                ("treatment", treatment_id), t["name"], t.get("full_name") or t.get("summary"))
        return self.treatment_variables[treatment_id]

    def arm(self, trial: Mapping[str, Any], arm: str) -> dict:
        """The treatment an arm names (its id, name or alias), else a variable for the arm."""
        from ketcli.data.names import normalise
        from ketcli.data.names import names_of

        wanted = normalise(arm)
        for treatment_id in trial["treatments"]:
            t = self.treatments.get(treatment_id)
            if t and wanted in {normalise(n) for n in names_of(t)}:
                return self.treatment(treatment_id)
        key = (trial["id"], arm)
        if key not in self.arm_variables:
            self.arm_variables[key] = self.variable(("arm", trial["id"], arm), arm, None)
        return self.arm_variables[key]

    # --- Evidence -------------------------------------------------------------------

    def trial(self, trial: Trial) -> None:
        from ketcli.query.quantities import amount_text
        from ketcli.query.sof import _derived

        population = (self.variable(("population", trial["id"]), f"{trial['name']}: population",
                                    trial["population"]) if trial["population"] else None)
        outcomes: dict[str, dict] = {}
        shared = Leftovers()  # what the trial's quote and notes could not carry, noted on each Evidence
        related = evidence.quoted(trial["quote"], self.review_ref, shared) + evidence.cites(
            trial["refs"], self.references)
        notes = [{"authorString": evidence.DATASET_NOTE, "text": text}
                 for text in (shared.markdown(n, "a note of the dataset") for n in trial["notes"]) if text]
        described = [f"{name}: {value}" for name, value in (("setting", trial["setting"]), ("follow-up", trial["follow_up"]))
                     if value]
        described += [f"{q['label']}: {amount_text(q)}" for q in trial["characteristics"]]
        study = shared.markdown("; ".join(described), "the study's setting, follow-up and characteristics")
        if study:  # no element of Evidence holds them: a note, in the review's words and numbers
            notes.append({"authorString": "ketcli export (the study as the review describes it)", "text": study})
        notes += shared.annotations()
        others = [q for q in trial["results"] if q["arm"] is None]
        by_label: dict[str, list[tuple[Quantity, str]]] = {}
        for i, q in enumerate(trial["results"], 1):
            left = Leftovers()
            if q["label"] not in outcomes:
                outcomes[q["label"]] = self.variable(
                    ("outcome", trial["id"], len(outcomes) + 1), q["label"], trial["outcome_measure"])
            variables = self.pico(trial, q["arm"], population, outcomes[q["label"]])
            printed = amount_text(q)
            title = " · ".join(x for x in (trial["name"], q["label"], q["arm"]) if x)
            resource = evidence.evidence(
                id=self.ids.new(trial["id"], "result", i),
                title=left.text(title, "title") or "(untitled)",
                description=markdown(f"As printed in the review: {printed}"),
                trial=trial, variables=variables, stat=evidence.statistic(q, printed, left),
                related=related, notes=notes, left=left)
            url = self.add(resource, self.evidence)
            self.results.setdefault(trial["id"], []).append(
                (q, {"fullUrl": url, "title": resource["title"], "text": printed}, outcomes[q["label"]]))
            if q["arm"]:
                by_label.setdefault(q["label"], []).append((q, url))
        for label, arms in by_label.items():
            for d in _derived([q for q, _ in arms], others):
                self.calculated(trial, label, arms, d, population, outcomes[label], related, notes)

    def pico(self, trial: Mapping[str, Any], arm: str | None, population: dict | None, outcome: dict) -> list[dict]:
        found = [evidence.variable("population", population)] if population else []
        if arm:
            found.append(evidence.variable("exposure", self.arm(trial, arm)))
        elif trial["head_to_head"] and len(trial["treatments"]) == 2:
            found += [evidence.variable("exposure", self.treatment(trial["treatments"][0])),
                      evidence.variable("referenceExposure", self.treatment(trial["treatments"][1]))]
        else:
            found += [evidence.variable("exposure", self.treatment(t)) for t in trial["treatments"]
                      if t in self.treatments]
        return found + [evidence.variable("measuredVariable", outcome)]

    def calculated(self, trial, label, arms, derived, population, outcome, related, notes) -> None:
        (a, a_url), (b, b_url) = arms
        left = Leftovers()
        variables = [evidence.variable("population", population)] if population else []
        variables += [evidence.variable("exposure", self.arm(trial, a["arm"])),
                      evidence.variable("referenceExposure", self.arm(trial, b["arm"])),
                      evidence.variable("measuredVariable", outcome)]
        stat = {
            "description": markdown(f"calculated by ketcli, not printed by the review: {derived['text']}"),
            "statisticType": evidence.RISK_DIFFERENCE,
            "quantity": {"value": derived["value"], "unit": derived["unit"]},
        }
        sources = [{"type": "derived-from", "label": "calculated from", "display": d,
                    "resourceReference": {"reference": url, "display": d}}
                   for url, d in ((a_url, f"{a['arm']}: {a['value']:g}{a['unit']}"),
                                  (b_url, f"{b['arm']}: {b['value']:g}{b['unit']}"))]
        title = f"{trial['name']} · {label} · {a['arm']} minus {b['arm']} (calculated by ketcli, not printed)"
        resource = evidence.evidence(
            id=self.ids.new(trial["id"], "calculated", label), title=left.text(title, "title") or "(calculated)",
            description=markdown(f"Calculated by ketcli from the two printed arm values, not printed by the review: "
                                 f"{derived['formula']} {derived['unit']}."),
            trial=trial, variables=variables, stat=stat, related=sources + related,
            notes=[{"authorString": "ketcli export", "text": markdown(
                "A calculated number: ketcli's arithmetic on the review's printed numbers, never a printed value.")},
                *notes], left=left)
        self.add(resource, self.evidence)

    # --- Compositions -----------------------------------------------------------------

    def summaries(self) -> None:
        """A summary of findings per pair of treatments that head-to-head trials compare."""
        from ketcli.data.vocab import NOT_REPORTED

        pairs: dict[tuple[str, str], list[Trial]] = {}
        for trial in self.data["trials"]:
            if trial["head_to_head"] and len(trial["treatments"]) == 2 and all(
                    t in self.treatments for t in trial["treatments"]):
                pairs.setdefault((trial["treatments"][0], trial["treatments"][1]), []).append(trial)
        for (a, b), trials in pairs.items():
            left = Leftovers()
            rows = [row for trial in trials for row in self.rows(trial, a, b, NOT_REPORTED)]
            names = [self.treatments[t]["name"] for t in (a, b)]
            notes = [{"authorString": "ketcli export", "text": markdown(
                "date: the review's publication date, the date of what this summarises; ketcli writes the same "
                "bytes for the same dataset and so records no time of export. The review gives no arm sizes, "
                "event counts, follow-up, setting or risk of bias, and assesses no certainty: this is not a full "
                "summary of findings (GRADEpro and MAGICapp need those).")}]
            resource = composition.composition(
                id=self.ids.new("summary-of-findings", a, b),
                title=left.text(f"{names[0]} compared with {names[1]}", "title") or "Summary of findings",
                date=left.date(self.data.source.get("published"), "date"), rows=rows, review=self.review_ref,
                certainty=evidence.CERTAINTY, notes=notes, left=left)
            if resource["date"] is not None:  # a Composition must have a date; without one it is left out
                self.add(resource, self.compositions)

    def rows(self, trial: Mapping[str, Any], a: str, b: str, not_reported: str) -> list[dict]:
        n = trial["n"]
        base = {"trial_name": trial["name"], "participants": f"{n}" if n is not None else not_reported}
        results = self.results.get(trial["id"], [])
        if not results:
            words = " … ".join(trial["quote"])
            measured = trial.get("outcome") or trial["outcome_measure"]  # the quote's words first, as sof does
            return [{**base, "outcome": None, "outcome_text": measured or not_reported,
                     "assertion": f"No numbers printed. The review's words: \"{words}\"" if words
                     else f"No numbers printed. The review's finding: {trial['finding']}"}]
        rows: dict[str, dict] = {}
        effects = []
        for q, item, outcome in results:
            if q["arm"] is None and q["unit"] == "percentage points":
                effects.append((q, item, outcome))
                continue
            row = rows.setdefault(q["label"], {**base, "outcome": outcome, "outcome_text": q["label"]})
            arm = self.arm(trial, q["arm"]) if q["arm"] else None
            if arm is not None and arm is self.treatment_variables.get(a):
                row["intervention"] = item
            elif arm is not None and arm is self.treatment_variables.get(b):
                row["comparator"] = item
            else:
                row["effect"] = item
        armed = [r for r in rows.values() if "intervention" in r and "comparator" in r and "effect" not in r]
        for q, item, outcome in effects:
            if len(armed) == 1 and "effect" not in armed[0]:
                armed[0]["effect"] = item  # the printed difference between the two arms' values
            else:
                rows[q["label"]] = {**base, "outcome": outcome, "outcome_text": q["label"], "effect": item}
        return list(rows.values())

    def build(self) -> dict:
        self.references = self.reference_citations()
        self.review_ref = self.review()
        self.entries += self.pending_references
        for trial in self.data["trials"]:
            self.trial(trial)
        self.summaries()
        self.entries += self.variables + self.evidence + self.compositions
        return pruned({
            "resourceType": "Bundle",
            "id": self.ids.new("ketcli", str(self.data.sha256)[:16]),
            "type": "collection",
            "entry": self.entries,
        })


def _display(record: Mapping[str, Any]) -> str:
    """'Anand A, et al. Ketamine versus ECT … N Engl J Med 2023' from what is printed."""
    authors = ", ".join(record.get("authors") or []) + (", et al." if record.get("et_al") else "")
    parts = [authors, record.get("title"), " ".join(str(x) for x in (record.get("journal"), record.get("year"))
                                                    if x is not None)]
    text = ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())
    return Leftovers().text(text, "display") or ""


def bundle(data: Data) -> dict:
    """The FHIR R5 Bundle (a dict) of the dataset."""
    return _Builder(data).build()


def to_json(document: dict) -> bytes:
    """FHIR JSON text of the Bundle: UTF-8, two-space indent, a final newline."""
    import json

    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
