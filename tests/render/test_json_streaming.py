"""`--json` text is written a chunk at a time as it is made (streams.write_json), so a large
result's text is never held whole (bench/startup.py's peak memory), and it is the same text."""

import io

import ketcli
from ketcli.render.terminal import streams


class Recording(io.StringIO):
    encoding = "utf-8"

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def test_the_json_is_written_in_chunks_and_is_dumps_text():
    result = ketcli.open().compare("ketamine", "ssri", "tca", "ect")
    out = Recording()
    streams.write_json(result, out)
    from ketcli.render.jsontext import dumps

    assert out.getvalue() == dumps(result, ensure_ascii=False) + "\n"  # a UTF-8 stream: characters as they are
    assert len(out.writes) > 3 and max(map(len, out.writes)) < len(out.getvalue()) / 2


def test_the_cli_prints_the_same_json_as_the_api_returns(run):
    import json

    out = run("compare", "ketamine", "ect", "--json").out
    assert json.loads(out) == json.loads(json.dumps(ketcli.open().compare("ketamine", "ect")))
    assert out.endswith("}\n") and out.count("\n}\n") == 1
