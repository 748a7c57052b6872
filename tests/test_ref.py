"""Code as of a release: `ref: v1.2` reads an include from the project's git history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import write
from test_sync import build, code_deck, code_on_slide

from generator.writers.pptx_writer import read_custom_properties

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

OLD = "def judge(answer):\n    return len(answer)\n"
NEW = "def judge(answer):\n    return 2 * len(answer)\n"


def git(project: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(project),
    }
    return subprocess.run(
        ["git", *args], cwd=project, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(project: Path) -> Path:
    """A project under git: snippets/judge.py tagged v1.2 with OLD, then changed to NEW."""
    git(project, "init", "-q", "-b", "main")
    write(project / "snippets" / "judge.py", OLD)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "first")
    git(project, "tag", "v1.2")
    write(project / "snippets" / "judge.py", NEW)
    return project


def check_lines(run_cli, project: Path) -> tuple[int, list[str]]:
    code, stdout, stderr = run_cli("check", "talk.yaml", cwd=project)
    return code, [line for line in (stdout + stderr).splitlines() if "talk.yaml" in line]


def test_a_file_is_read_as_it_was_at_the_ref(run_cli, repo):
    code_deck(repo, "snippets/judge.py", "    ref: v1.2\n")
    assert code_on_slide(build(run_cli, repo)) == OLD.rstrip("\n")
    code_deck(repo, "snippets/judge.py")
    assert code_on_slide(build(run_cli, repo)) == NEW.rstrip("\n")


def test_ref_goes_with_symbol_region_and_lines(run_cli, repo):
    write(
        repo / "snippets" / "judge.py", "import os\n\n\n" + OLD + "# [start:r]\nx = 1\n# [end:r]\n"
    )
    git(repo, "commit", "-q", "-am", "second")
    git(repo, "tag", "v2")
    write(repo / "snippets" / "judge.py", "")
    for extra, shown in (
        ("symbol: judge", OLD.rstrip("\n")),
        ("region: r", "x = 1"),
        ("lines: 1-1", "import os"),
    ):
        code_deck(repo, "snippets/judge.py", f"    ref: v2\n    {extra}\n")
        assert code_on_slide(build(run_cli, repo)) == shown


def test_a_file_removed_since_is_still_read_at_the_ref_by_branch_or_commit(run_cli, repo):
    commit = git(repo, "rev-parse", "HEAD")
    (repo / "snippets" / "judge.py").unlink()
    for ref in ("v1.2", "main", commit, commit[:10], "HEAD"):
        code_deck(repo, "snippets/judge.py", f"    ref: {ref}\n")
        assert code_on_slide(build(run_cli, repo)) == OLD.rstrip("\n"), ref


def test_the_deck_records_the_commit_the_ref_resolved_to(run_cli, repo):
    code_deck(repo, "snippets/judge.py", "    ref: v1.2\n")
    first = read_custom_properties(build(run_cli, repo))
    commit = git(repo, "rev-parse", "v1.2")
    assert first["deckwright:revision:snippets/judge.py@v1.2"] == commit
    assert not any(key.startswith("deckwright:input:snippets/") for key in first)
    git(repo, "commit", "-q", "-am", "second")
    git(repo, "tag", "-f", "v1.2")  # the tag moves to the new commit
    second = read_custom_properties(build(run_cli, repo))
    assert (
        second["deckwright:revision:snippets/judge.py@v1.2"]
        == git(repo, "rev-parse", "v1.2")
        != commit
    )
    assert second["deckwright:fingerprint"] != first["deckwright:fingerprint"]


def test_an_unknown_ref_is_a_located_error_with_did_you_mean(run_cli, repo):
    code_deck(repo, "snippets/judge.py", "    ref: v1.3\n")
    assert check_lines(run_cli, repo) == (
        1,
        [f"talk.yaml:8:10: unknown git revision 'v1.3' in {repo.resolve()} (did you mean 'v1.2'?)"],
    )


def test_a_file_unknown_at_the_ref_is_a_located_error_at_the_file(run_cli, repo):
    write(repo / "snippets" / "new.py", "x = 1\n")
    code_deck(repo, "snippets/new.py", "    ref: v1.2\n")
    commit = git(repo, "rev-parse", "v1.2")[:12]
    assert check_lines(run_cli, repo) == (
        1,
        [f"talk.yaml:7:11: file 'snippets/new.py' not found at v1.2 (commit {commit})"],
    )
    code_deck(repo, "snippets/judg.py", "    ref: v1.2\n")
    assert check_lines(run_cli, repo) == (
        1,
        [
            f"talk.yaml:7:11: file 'snippets/judg.py' not found at v1.2 (commit {commit}) "
            "(did you mean 'judge.py'?)"
        ],
    )
    code_deck(repo, "snippets", "    ref: v1.2\n")
    assert check_lines(run_cli, repo) == (
        1,
        ["talk.yaml:7:11: 'snippets' is a folder at v1.2, not a file"],
    )


def test_a_project_that_is_not_a_git_repository_is_a_located_error(run_cli, project):
    if subprocess.run(["git", "rev-parse"], cwd=project, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    write(project / "snippets" / "judge.py", OLD)
    code_deck(project, "snippets/judge.py", "    ref: v1.2\n")
    assert check_lines(run_cli, project) == (
        1,
        [
            f"talk.yaml:8:10: 'ref' needs a git repository, and the project folder "
            f"{project.resolve()} is not in one (commit the file, or drop 'ref')"
        ],
    )


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "-p", "v1 2"])
def test_a_ref_that_git_would_read_as_an_option_is_refused(run_cli, repo, ref):
    code_deck(repo, "snippets/judge.py", f"    ref: '{ref}'\n")
    assert check_lines(run_cli, repo) == (
        1,
        [
            f"talk.yaml:8:10: '{ref}' is not a git revision (name a tag, a branch or a commit, "
            "e.g. 'ref: v1.2')"
        ],
    )


def test_a_ref_include_stays_inside_the_project(run_cli, repo):
    code_deck(repo, "../../etc/passwd", "    ref: v1.2\n")
    assert check_lines(run_cli, repo) == (
        1,
        [
            f"talk.yaml:7:11: '../../etc/passwd' is outside the project folder {repo.resolve()} "
            "(includes must stay inside the project)"
        ],
    )


def test_a_symbolic_link_at_the_ref_is_refused(run_cli, repo):
    os.symlink("/etc/passwd", repo / "snippets" / "link.py")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    code_deck(repo, "snippets/link.py", "    ref: HEAD\n")
    assert check_lines(run_cli, repo) == (
        1,
        ["talk.yaml:7:11: 'snippets/link.py' is a symbolic link at HEAD, not a file"],
    )


def test_ref_only_goes_with_file(run_cli, repo):
    write(
        repo / "talk.yaml",
        "title: T\nslides:\n  - kind: code\n    title: C\n"
        "    language: python\n    source: x = 1\n    ref: v1.2\n",
    )
    assert check_lines(run_cli, repo) == (1, ["talk.yaml:7:10: 'ref' only goes with 'file'"])


def test_check_outputs_follows_the_commit_not_the_working_tree(run_cli, repo):
    code_deck(repo, "snippets/judge.py", "    ref: v1.2\n")
    deck = build(run_cli, repo)
    commit = git(repo, "rev-parse", "v1.2")
    excerpt = json.loads(read_custom_properties(deck)["deckwright:excerpt:0.0"])
    assert (excerpt["shows"], excerpt["commit"]) == ("snippets/judge.py at v1.2", commit)
    # The working tree's judge.py (NEW) is not what the slide shows: editing it is no change.
    write(repo / "snippets" / "judge.py", NEW + "# more\n")
    assert run_cli("check", "--outputs", "out", cwd=repo)[:2] == (0, "")
    git(repo, "commit", "-q", "-am", "second")
    git(repo, "tag", "-f", "v1.2")  # the release moves: the slide would show other code
    assert git(repo, "rev-parse", "v1.2") != commit
    moved = git(repo, "rev-parse", "v1.2")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=repo)
    assert (code, stdout) == (
        1,
        'out/talk.pptx: stale: slide 1 "Snippet": snippets/judge.py at v1.2 changed: '
        f"now commit {moved[:12]}, was {commit[:12]}\n",
    )
