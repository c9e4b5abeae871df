"""Large networks are rendered by several processes, partly while MkDocs builds: the site
must come out exactly as a one-process build makes it, and a failing process must fail the build."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build
from generator import pages
from generator.load import load_yaml
from generator.model import Definition
from generator.pipeline import Pack, PackReader, TreeWriter
from generator.synth import synthesize

CITIES = pages.PARALLEL_FROM  # the smallest network rendered in parallel


def synthetic_project(target: Path, workers: int) -> Path:
    copy_project(target)
    for old in (target / "cities").glob("*.yaml"):
        old.unlink()
    definition = Definition.model_validate(load_yaml(ROOT / "generator/definitions/2019.yaml").value)
    for name, text in synthesize(definition, CITIES, seed=3).items():
        (target / "cities" / name).write_text(text, encoding="utf-8")
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      generated: content/generated\n",
                            f"      generated: content/generated\n      static_charts: false\n      workers: {workers}\n")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_parallel_build_publishes_the_same_site_as_one_process(tmp_path):
    one = synthetic_project(tmp_path / "one", workers=1)
    two = synthetic_project(tmp_path / "two", workers=2)
    for project in (one, two):
        result = mkdocs_build(project)
        assert result.returncode == 0, result.stderr[-3000:]
    single = mkdocs_build(one)  # (a second run, to show it was not the parallel path by accident)
    assert "waited for pages" not in single.stderr
    parallel = mkdocs_build(two)
    assert "waited for pages" in parallel.stderr  # the city pages were rendered in the background
    site_one, site_two = files_of(one / "site"), files_of(two / "site")
    assert sorted(site_one) == sorted(site_two)
    assert len([p for p in site_one if p.startswith("cities/")]) == CITIES
    different = [p for p in site_one if site_one[p] != site_two[p]]
    assert different == []
    assert files_of(one / "content" / "generated") == files_of(two / "content" / "generated")


def test_a_failing_background_process_is_reported(tmp_path):
    out = TreeWriter(tmp_path / "generated")

    def work(share: int) -> None:
        if share == 1:
            for _ in range(500):  # (fails once the healthy share's file is there, so the order is known)
                if (out.staging / "page-0").exists():
                    break
                time.sleep(0.01)
            time.sleep(0.3)
            raise ValueError("cities/x.md: a broken view")
        out.add(f"page-{share}", b"done")

    def there(name: str):
        return lambda: (out.staging / name).exists() or None

    background = pages.Background(work, 2, out)
    assert background.wait_for(there("page-0"), "page-0")  # the healthy share's file arrives
    with pytest.raises(RuntimeError, match="cities/x.md: a broken view"):
        background.wait_for(there("never-written"), "never-written")
    out.abort()
    assert not out.staging.exists() and not (tmp_path / "generated").exists()


def test_background_files_are_recorded_for_the_swap(tmp_path):
    out = TreeWriter(tmp_path / "generated")
    background = pages.Background(lambda share: out.add(f"page-{share}", b"x" * share), 3, out)
    background.finish()
    assert sorted(out.hashes) == ["page-0", "page-1", "page-2"]
    assert out.commit()
    assert sorted(p.name for p in (tmp_path / "generated").iterdir()) == [".digest", "page-0", "page-1", "page-2"]


def test_chart_templates_are_kept_and_read_back(tmp_path, monkeypatch):
    from generator import charts

    monkeypatch.setattr(charts, "_TEMPLATES", None)
    charts.use_cache(tmp_path)
    kept = list(tmp_path.glob("chart-templates-*.json"))
    assert len(kept) == 1
    built = charts._build_templates()
    assert charts.templates() == built
    kept[0].write_text('{"overview": {"marker": true}}', encoding="utf-8")  # what is there is what is used
    monkeypatch.setattr(charts, "_TEMPLATES", None)
    charts.use_cache(tmp_path)
    assert charts.templates() == {"overview": {"marker": True}}


def test_work_in_processes_returns_every_share_in_order(tmp_path):
    out = TreeWriter(tmp_path / "generated")

    def work(share: int) -> dict:
        out.add(f"share-{share}", str(share).encode())
        return {"share": share}

    assert pages._in_processes(work, 3, out) == [{"share": 0}, {"share": 1}, {"share": 2}]
    assert sorted(out.hashes) == ["share-0", "share-1", "share-2"]
    assert (out.staging / "share-2").read_bytes() == b"2"

    def failing(share: int) -> None:
        if share == 2:
            raise ValueError("share 2 broke")

    with pytest.raises(RuntimeError, match="share 2 broke"):
        pages._in_processes(failing, 3, TreeWriter(tmp_path / "other"))


def test_a_large_network_with_an_error_fails_with_the_report(tmp_path):
    # the pipeline runs in a process of its own here; its validation report reaches the build
    project = synthetic_project(tmp_path / "two", workers=2)
    broken = project / "cities" / "synthetic-00007.yaml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("population:\n  value: ", "population:\n  value: many ", 1), encoding="utf-8")
    line = 2 + text[: text.index("population:\n  value: ")].count("\n")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert f"synthetic-00007.yaml:{line}" in result.stderr
    assert "population" in result.stderr
    assert not (project / "site").exists()
    assert not (project / "content" / "generated").exists()


def test_a_process_can_tell_before_it_is_done(tmp_path):
    out = TreeWriter(tmp_path / "generated")

    def work(share, tell):
        tell({"share": share})
        out.add(f"page-{share}", b"x")
        tell(f"written {share}")
        return share * 10

    background = pages.Background(work, 2, out, early=True)
    assert background.early(1, 1) == "written 1"
    assert background.early(1) == {"share": 1}
    assert background.early(0) == {"share": 0}
    assert (out.staging / "page-1").read_bytes() == b"x"
    assert background.finish() == [0, 10]
    assert sorted(out.hashes) == ["page-0", "page-1"]


def test_a_build_that_ends_early_does_not_wait_for_its_pipeline(tmp_path):
    # The build's process may end (an error, an interrupt) before reading what the
    # pipeline's process has to tell it: it must end, not wait for a process that waits
    # for a reader.
    result = build_that_ends(tmp_path, "raise SystemExit(3)")
    assert result.returncode == 3, result.stderr[-2000:]


def build_that_ends(tmp_path, ending: str) -> subprocess.CompletedProcess:
    """A process that starts a pipeline process with much to tell (more than a pipe holds)
    and ends as ``ending`` says before reading it; it prints the pipeline process's id."""
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from generator import pages\n"
        "from generator.pipeline import TreeWriter\n"
        "out = TreeWriter(Path(sys.argv[1]))\n"
        "background = pages.Background(lambda share, tell: tell('x' * 10_000_000), 1, out, early=True)\n"
        "print(background.running[0][0].pid, flush=True)\n"
        f"{ending}\n"
    )
    return subprocess.run([sys.executable, "-c", script, str(tmp_path / "generated")], cwd=ROOT, timeout=30,
                          capture_output=True, text=True)


def test_a_pipeline_process_whose_build_is_killed_does_not_stay_behind(tmp_path):
    result = build_that_ends(tmp_path, "os.kill(os.getpid(), signal.SIGKILL)")
    pid = int(result.stdout.split()[0])
    for _ in range(100):  # its write fails once nobody can read it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
        if state == "Z":  # ended, waiting to be reaped by init
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("the pipeline's process was left running")


def test_a_process_error_names_the_template_line(tmp_path):
    import jinja2

    (tmp_path / "city.html.j2").write_text("<p>one</p>\n<p>{{ 1 // c }}</p>\n", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    try:
        env.get_template("city.html.j2").render(c=0)
    except ZeroDivisionError as error:
        assert pages._error_text(error) == "ZeroDivisionError: integer division or modulo by zero (in city.html.j2, line 2)"
    else:
        pytest.fail("the template did not fail")


def test_a_pack_is_read_while_it_is_written(tmp_path):
    out = TreeWriter(tmp_path / "generated")
    reader = PackReader(out.staging / "packs")
    assert reader.get("cities/oslo.md") is None  # no pack yet
    pack = out.pack("packs/0.pack")
    pack.add("cities/oslo.md", b'{"meta":{}}\n["<p>Oslo</p>"]')
    assert reader.get("cities/oslo.md") == b'{"meta":{}}\n["<p>Oslo</p>"]'
    # a record whose last bytes are not there yet is not taken (a reader sees a write's prefix)
    record = Pack.HEADER.pack(len(b"cities/\xc3\xa9vora.md"), 4) + "cities/évora.md".encode() + b"da"
    os.write(pack.fd, record)
    assert reader.get("cities/évora.md") is None
    os.write(pack.fd, b"ta")
    assert reader.get("cities/évora.md") == b"data"
    assert reader.get("cities/oslo.md") == b'{"meta":{}}\n["<p>Oslo</p>"]'  # read again
    with pytest.raises(ValueError, match="cities/oslo.md was generated twice"):
        pack.add("cities/oslo.md", b"other")
    pack.close()
    reader.close()
    header = Pack.HEADER.size
    # the file is exactly the records: 8-byte header, name, data
    assert (out.staging / "packs/0.pack").stat().st_size == 2 * header + len("cities/oslo.md") + 27 + len("cities/évora.md".encode()) + 4
    assert "packs/0.pack" in out.hashes  # recorded when closed: swapped in with the rest
    assert out.commit()
    assert (tmp_path / "generated" / "packs" / "0.pack").is_file()


def test_a_page_no_process_writes_is_an_error_not_a_wait(tmp_path):
    out = TreeWriter(tmp_path / "generated")
    reader = PackReader(out.staging / "packs")

    def work(share: int) -> None:
        pack = out.pack(f"packs/{share}.pack")
        pack.add(f"cities/c{share}.md", b"page")
        pack.close()

    background = pages.Background(work, 2, out)
    assert background.wait_for(lambda: reader.get("cities/c1.md"), "cities/c1.md") == b"page"
    with pytest.raises(RuntimeError, match="no rendering process wrote cities/c9.md"):
        background.wait_for(lambda: reader.get("cities/c9.md"), "cities/c9.md")
    background.finish()
    assert sorted(out.hashes) == ["packs/0.pack", "packs/1.pack"]
    reader.close()
    out.abort()


def test_late_files_are_linked_into_the_site_or_copied(tmp_path, monkeypatch):
    from generator import mkdocs_plugin

    source, site = tmp_path / "generated", tmp_path / "site"
    (source / "data" / "cities").mkdir(parents=True)
    (source / "data" / "cities" / "oslo.json").write_bytes(b'{"id":"oslo"}\n')
    (source / "data" / "scores.csv").write_bytes(b"city,value\noslo,85\n")
    files = [("data/cities/oslo.json", "data/cities/oslo.json"), ("data/scores.csv", "data/scores.csv")]
    mkdocs_plugin._publish(source, files, site)
    assert (site / "data/cities/oslo.json").read_bytes() == b'{"id":"oslo"}\n'
    assert (site / "data/scores.csv").stat().st_ino == (source / "data/scores.csv").stat().st_ino  # a link
    # where the file system allows no link (another device), the file is copied
    def no_link(*args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    mkdocs_plugin._publish(source, files, tmp_path / "other")
    copied = tmp_path / "other" / "data/scores.csv"
    assert copied.read_bytes() == b"city,value\noslo,85\n"
    assert copied.stat().st_ino != (source / "data/scores.csv").stat().st_ino


def test_a_listing_page_that_fails_after_mkdocs_started_fails_the_build(tmp_path):
    # in a large network the area pages are rendered while MkDocs builds: an error there
    # must stop the build, name the template and leave nothing half-built
    project = synthetic_project(tmp_path / "two", workers=2)
    area = project / "site_templates" / "area.md.j2"
    area.write_text(area.read_text(encoding="utf-8").replace("# {{ a.title | md_text }}", "# {{ a.title | md_text }} {{ 1 // 0 }}", 1),
                    encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stderr and "area.md.j2" in result.stderr, result.stderr[-2000:]
    assert not (project / "site").exists()
    assert not (project / "content" / "generated").exists()
    assert not list(project.glob(".site.*")) and not list((project / "content").glob(".generated*"))


def test_a_writing_process_writes_the_same_tree(tmp_path):
    files = {f"data/cities/c{i}.json": f'{{"i":{i}}}\n'.encode() for i in range(30)}
    chunked = [b"city,value\n", b"", b"oslo,85\n" * 1000, b"bergen,70\n"]
    digests = []
    for name, apart in (("here", False), ("apart", True)):
        out = TreeWriter(tmp_path / name / "generated")
        with out.writing_process() if apart else contextlib.nullcontext():
            for rel, data in files.items():
                out.add(rel, data)
            out.add_chunks("data/scores.csv", iter(chunked))
            out.add_chunks("data/empty.csv", iter([]))  # made, though no chunk came
        written = {p.relative_to(out.staging).as_posix(): p.read_bytes() for p in out.staging.rglob("*") if p.is_file()}
        assert written == files | {"data/scores.csv": b"".join(chunked), "data/empty.csv": b""}
        digests.append(out.digest())
        out.abort()
    assert digests[0] == digests[1]


def test_a_writing_process_that_cannot_write_is_an_error(tmp_path):
    out = TreeWriter(tmp_path / "generated")
    out.add("data/x", b"a file where a folder must go")
    with pytest.raises(OSError, match="writing the generated files failed"):
        with out.writing_process():
            out.add("data/x/y.json", b"{}")
    out.abort()


def build_writing(project: Path) -> subprocess.Popen:
    """``mkdocs build`` started in ``project``, returned once its pipeline is writing (its
    staging folders are there: a minute at most, on a busy machine)."""
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(3000):
        if list((project / "content").glob(".generated.new-*")) and list(project.glob(".site.staging-*")):
            return build
        assert build.poll() is None, "the build ended before it was writing"
        time.sleep(0.02)
    build.kill()
    pytest.fail("the build was not writing after a minute")


def test_a_terminated_build_leaves_nothing_behind(tmp_path):
    # SIGTERM (what kill and CI runners send) ends a build as Ctrl-C does: the pipeline's
    # processes stop and the staging folders go; the previous site stays
    project = synthetic_project(tmp_path / "two", workers=2)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous", encoding="utf-8")
    build = build_writing(project)
    build.terminate()
    assert build.wait(timeout=30) == 128 + 15
    time.sleep(0.5)
    assert not list(project.glob(".site.staging-*")) and not list((project / "content").glob(".generated*"))
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "previous"
    running = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(project) not in running and "generator.filewriter " + str(project) not in running


def test_a_large_network_names_its_files_before_it_scores_and_makes_exactly_those(tmp_path):
    # MkDocs starts from the names, told as soon as the city files are validated; the
    # scores, comparisons and advice come in a second message, before the first page
    from generator import pipeline

    project = synthetic_project(tmp_path / "two", workers=2)
    settings = pipeline.Settings.for_project(project)
    settings = pipeline.dataclasses.replace(settings, static_charts=False, workers=2, output=tmp_path / "generated")
    run = pipeline.Started.begin(settings)
    try:
        run.names()
        assert [kind for kind, _ in run.pending.told[0]] == ["named"]  # (nothing scored yet)
        assert len(run.outlined) == CITIES + sum(1 for p in run.outlined if p.startswith("practices/"))
        assert run.listing[-len(pages.LISTING_PAGES):] == list(pages.LISTING_PAGES)
        assert "data/scores.csv" in run.coming and f"data/cities/synthetic-{CITIES:05d}.json" in run.coming
        assert {"score", "compare", "learn"} <= set(run.ready().timings)
        assert [kind for kind, _ in run.pending.told[0]] == ["named", "ready"]
        run.finish()
    except BaseException:
        run.abort()
        raise
    made = {p.relative_to(tmp_path / "generated").as_posix() for p in (tmp_path / "generated").rglob("*") if p.is_file()}
    named = run.outlined | set(run.listing) | set(run.coming)
    assert {p for p in made if not p.startswith(".")} == {p for p in named if not p.endswith(".md") or p in run.listing}


@pytest.mark.parametrize("blocks", [[], [""], ["<p>a</p>"], ["<table>\n<tr><td>Genève</td></tr>\n</table>", "", "<p>\u2028</p>"]])
def test_a_page_s_blocks_read_back_as_written(blocks):
    data = pages.pack_blocks("cities/oslo.md", blocks)
    assert pages.unpack_blocks(data) == (blocks or [""])


def test_a_block_holding_the_separator_is_an_error_naming_the_page():
    with pytest.raises(ValueError, match="cities/oslo.md.*U\\+0000"):
        pages.pack_blocks("cities/oslo.md", ["<p>a\x00b</p>"])


def test_a_killed_build_s_folders_are_removed_by_the_next_build(tmp_path):
    # SIGKILL leaves no chance to clean up: the next build finds the staging folders whose
    # lock no process holds, and removes them
    project = synthetic_project(tmp_path / "two", workers=2)
    build = build_writing(project)
    build.kill()
    build.wait(timeout=30)
    for _ in range(100):  # the pipeline's processes end with it
        if str(project) not in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout:
            break
        time.sleep(0.1)
    left = list(project.glob(".site.staging-*")) + list((project / "content").glob(".generated.new-*"))
    assert left  # (what the killed build was writing)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not any(p.exists() for p in left)
    assert not list(project.glob(".site.*")) and not list((project / "content").glob(".generated.*"))
    assert (project / "site" / "cities" / "synthetic-00001" / "index.html").is_file()


def test_the_folder_of_a_build_still_running_is_left_alone(tmp_path):
    from generator.pipeline import Claim

    target = tmp_path / "site"
    script = ("import sys\nfrom pathlib import Path\nfrom generator.pipeline import Claim\n"
              "claim = Claim(Path(sys.argv[1]), 'staging')\nprint(claim.path, flush=True)\nsys.stdin.read()\n")
    other = subprocess.Popen([sys.executable, "-c", script, str(target)], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        held = Path(other.stdout.readline().strip())
        mine = Claim(target, "staging")
        assert held.is_dir() and mine.path.is_dir() and held != mine.path
        mine.release()
        assert mine.path.is_dir()  # (the folder is the caller's to move or remove)
        assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".site.staging-")] == []
    finally:
        other.kill()
        other.wait()
    Claim(target, "staging").release()  # its process gone, the next claim removes its folder
    assert not held.exists()
