"""Each error class the library's statuses map to, model info and evaluation against the CLI, and training."""

import os
import random
import shutil
import struct
import subprocess

import pytest

import slimnlp


def _crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def _cli_error(args):
    """The message `slimnlp ARGS` prints on stderr (after "slimnlp <command>: ")."""
    path = os.environ.get("SLIMNLP_CLI")
    if not path or not os.path.isfile(path):
        pytest.skip("SLIMNLP_CLI is not set")
    r = subprocess.run([path, *args], capture_output=True, text=True)
    assert r.returncode != 0
    return r.stderr.strip().split(": ", 1)[1]


def test_missing_model_is_file_not_found_with_the_cli_message(tmp_path):
    missing = str(tmp_path / "missing.slim")
    with pytest.raises(FileNotFoundError) as e:
        slimnlp.LanguageIdentifier(missing)
    assert str(e.value) == _cli_error(["langid", "--model", missing, "x"])
    for load in (slimnlp.Segmenter, slimnlp.Tagger, slimnlp.Reranker, slimnlp.inspect_model):
        with pytest.raises(FileNotFoundError, match="missing.slim"):
            load(missing)


def test_truncated_model_is_data_loss(tmp_path):
    data = open(slimnlp.default_model_path("langid.slim"), "rb").read()
    path = tmp_path / "short.slim"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(slimnlp.DataLossError, match="truncated") as e:
        slimnlp.LanguageIdentifier(path)
    assert isinstance(e.value, OSError)
    assert str(e.value) == _cli_error(["langid", "--model", str(path), "x"])


def test_model_of_another_task_is_value_error():
    with pytest.raises(ValueError) as e:
        slimnlp.LanguageIdentifier(slimnlp.default_model_path("pos-en.slim"))
    assert not isinstance(e.value, slimnlp.UnsupportedFormatError)
    with pytest.raises(ValueError):
        slimnlp.Tagger(slimnlp.default_model_path("langid.slim"), tokenizer="simple")


def test_newer_format_is_unsupported_format_error(tmp_path):
    data = bytearray(open(slimnlp.default_model_path("seg-en.slim"), "rb").read())
    struct.pack_into("<H", data, 8, 99)  # Major version 99; the header checksum made right again.
    struct.pack_into("<I", data, 36, _crc32c(bytes(data[:36])))
    path = tmp_path / "future.slim"
    path.write_bytes(bytes(data))
    with pytest.raises(slimnlp.UnsupportedFormatError, match="newer than this build") as e:
        slimnlp.Segmenter(path)
    assert isinstance(e.value, ValueError)


def test_not_a_model_is_value_error(tmp_path):
    path = tmp_path / "text.slim"
    path.write_bytes(b"just some text, long enough to have a header of forty bytes....")
    with pytest.raises(ValueError, match="not a slimnlp model"):
        slimnlp.Segmenter(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_model_is_permission_error(tmp_path):
    path = tmp_path / "locked.slim"
    shutil.copy(slimnlp.default_model_path("langid.slim"), path)
    path.chmod(0)
    with pytest.raises(PermissionError):
        slimnlp.LanguageIdentifier(path)


def test_directory_as_model_is_value_error(tmp_path):
    with pytest.raises(ValueError, match="is a directory"):
        slimnlp.LanguageIdentifier(tmp_path)


def test_info_same_as_cli(cli):
    path = slimnlp.default_model_path("pos-en.slim")
    info = slimnlp.info(path)
    assert info.task == "pos" and "NOUN" in info.labels and info.parts
    out = cli("info", path)
    assert f"labels   {len(info.labels)}\n" in out and f"file     {info.file_bytes} bytes\n" in out
    assert f"memory   {info.memory_bytes} bytes\n" in out
    for key, value in info.meta.items():
        assert f"  {key} = {value}\n" in out


def _langid_data(path, n, seed):
    """Two made-up 'languages' that differ in their letters, label<TAB>text."""
    rng = random.Random(seed)
    alphabets = {"xa": "aeioulmn", "xb": "kqwzyxvj"}
    lines = []
    for i in range(n):
        label = "xa" if i % 2 else "xb"
        words = ["".join(rng.choice(alphabets[label]) for _ in range(rng.randint(2, 7))) for _ in range(6)]
        lines.append(f"{label}\t{' '.join(words)}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_train_and_evaluate_language_identifier(tmp_path, cli):
    train = _langid_data(tmp_path / "train.tsv", 400, 1)
    dev = _langid_data(tmp_path / "dev.tsv", 60, 2)
    lines = []
    r = slimnlp.train_language_identifier(train, dev, tmp_path / "tiny.slim", budget="64KiB", hidden=16, epochs=2,
                                          progress=lines.append)
    assert r.languages == 2 and r.train_examples == 400 and r.file_bytes <= 64 * 1024
    assert lines, "progress lines reach the callback"
    model = slimnlp.LanguageIdentifier(tmp_path / "tiny.slim")
    assert sorted(model.languages) == ["xa", "xb"]
    with open(dev, "a") as f:
        f.write("no tab on this line\n")
    report = slimnlp.evaluate_language_identifier(model, dev)
    assert report.examples == 60 and report.skipped_lines == 1 and "dev.tsv:61" in report.warnings[0]
    assert report.accuracy > 0.9 and {p.language for p in report.per_language} == {"xa", "xb"}
    out = cli("eval", "langid", "--model", str(tmp_path / "tiny.slim"), "--data", str(dev))
    assert f"accuracy  {report.accuracy:.4f} ({report.correct}/{report.examples})" in out
    assert f"macro-F1  {report.macro_f1:.4f}" in out
    with pytest.raises(ValueError, match="not a size"):
        slimnlp.train_language_identifier(train, dev, tmp_path / "x.slim", budget="lots")
    with pytest.raises(FileNotFoundError):
        slimnlp.train_language_identifier(tmp_path / "none.tsv", dev, tmp_path / "x.slim")


CONLLU = """# text = The cat sat.
1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\t_
2\tcat\tcat\tNOUN\t_\t_\t3\tnsubj\t_\t_
3\tsat\tsit\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_

# text = I don't know.
1\tI\tI\tPRON\t_\t_\t4\tnsubj\t_\t_
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
2\tdo\tdo\tAUX\t_\t_\t4\taux\t_\t_
3\tn't\tnot\tPART\t_\t_\t4\tadvmod\t_\t_
4\tknow\tknow\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t_\t_\t4\tpunct\t_\t_

"""


def test_evaluate_tagger_and_segmenter_same_as_cli(tmp_path, cli):
    data = tmp_path / "gold.conllu"
    data.write_text(CONLLU)
    tagger = slimnlp.Tagger()
    r = slimnlp.evaluate_tagger(tagger, data, train=data)
    assert r.tokens == 9 and r.oov_tokens == 0 and len(r.confusion) >= len(r.tags)
    out = cli("eval", "pos", "--model", tagger.path, "--data", str(data))
    assert f"UPOS accuracy  {r.accuracy:.4f} ({r.correct}/{r.tokens})" in out
    seg = slimnlp.Segmenter(language="en")
    s = slimnlp.evaluate_segmenter(seg, data)
    assert s.sentences == 2 and s.gold_tokens == 8
    out = cli("eval", "segment", "--model", seg.path, "--data", str(data))
    assert f"F1         {s.f1:.4f}" in out
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\tonly two columns\n\n")
    with pytest.raises(ValueError, match="bad.conllu"):
        slimnlp.evaluate_tagger(tagger, bad)


def test_train_tagger_and_segmenter(tmp_path):
    data = tmp_path / "gold.conllu"
    data.write_text(CONLLU * 20)
    lines = []
    r = slimnlp.train_tagger(data, tmp_path / "pos.slim", dev=data, budget="64KiB", hidden=16, epochs=2,
                             progress=lines.append)
    assert r.train_tokens == 9 * 20 and r.file_bytes <= 64 * 1024 and lines
    tagger = slimnlp.Tagger(tmp_path / "pos.slim", tokenizer="simple")
    assert set(tagger.tag_set) <= {"DET", "NOUN", "VERB", "PUNCT", "PRON", "AUX", "PART"}
    assert slimnlp.info(tmp_path / "pos.slim").meta["train.command"].startswith("slimnlp.train_tagger(")
    s = slimnlp.train_segmenter(data, tmp_path / "seg.slim", dev=data, language="en", budget="64KiB", hidden=16,
                                epochs=1)
    assert s.train_sentences == 40 and s.file_bytes <= 64 * 1024
    assert slimnlp.Segmenter(tmp_path / "seg.slim").language == "en"
    with pytest.raises(ValueError):
        slimnlp.train_tagger(data, tmp_path / "x.slim", budget=100)  # Far too small for any model.


def test_progress_true_prints_lines(tmp_path, capsys):
    train = _langid_data(tmp_path / "train.tsv", 100, 1)
    dev = _langid_data(tmp_path / "dev.tsv", 20, 2)
    slimnlp.train_language_identifier(train, dev, tmp_path / "p.slim", budget="64KiB", hidden=8, epochs=1,
                                      progress=True)
    captured = capsys.readouterr()
    assert (captured.err or captured.out).strip(), "progress=True shows the trainer's lines (tqdm.write or stderr)"
    with pytest.raises(TypeError, match="progress must be"):
        slimnlp.train_language_identifier(train, dev, tmp_path / "q.slim", progress="yes")
