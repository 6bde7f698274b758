"""Where a sweep's runs live: DVC experiment refs of one baseline commit, locally and on
the git remote, plus a small record for each failed run (tools/sweep.py uses these).

DVC keeps each experiment as `refs/exps/<sha[:2]>/<sha[2:]>/<name>`, under the commit it
was run from. Everything here addresses runs by that full ref, so a name can never match
another baseline's experiment. Failed runs are never pushed by DVC: a shard records each
one as `refs/sweeps/<sha>/failed/<name>`, a commit on top of the baseline holding the
run's log, so the collector can tell failed runs from runs not done yet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REMOTE = "origin"
# DVC's queue workers start `dvc` by name: the venv's bin folder must be on PATH.
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
       "DVC_NO_ANALYTICS": "1"}


def dvc_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dvc", *args], capture_output=True, text=True,
                          env=ENV)


def dvc(*args: str) -> str:
    """DVC's stdout; any failure stops the sweep with DVC's own words."""
    done = dvc_run(*args)
    if done.returncode:
        sys.exit(f"error: dvc {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def git(*args: str, check: bool = True, stdin: str | None = None) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, input=stdin)
    if check and done.returncode:
        sys.exit(f"error: git {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def baseline() -> str:
    """The commit the sweep runs from (HEAD), as a full sha."""
    return git("rev-parse", "HEAD").strip()


def exp_prefix(sha: str) -> str:
    return f"refs/exps/{sha[:2]}/{sha[2:]}/"


def failed_prefix(sha: str) -> str:
    return f"refs/sweeps/{sha}/failed/"


def _refs(lines: str, prefix: str) -> dict[str, str]:
    """name -> sha from `<sha> <ref>` lines (for-each-ref and ls-remote both print that)."""
    out = {}
    for line in lines.splitlines():
        sha, _, ref = line.replace("\t", " ").partition(" ")
        if ref.startswith(prefix):
            out[ref[len(prefix):]] = sha
    return out


def local_runs(sha: str) -> dict[str, str]:
    """This baseline's finished experiments here: name -> experiment commit."""
    prefix = exp_prefix(sha)
    return _refs(git("for-each-ref", "--format=%(objectname) %(refname)", prefix), prefix)


def remote_refs(prefix: str) -> dict[str, str]:
    """name -> commit of the refs under `prefix` on origin."""
    return _refs(git("ls-remote", REMOTE, f"{prefix}*"), prefix)


# Files a sweep writes itself, or that no stage reads: they may differ from the commit.
OWN_FILES = ("reports/sweep/", "reports/population.json")


def preflight(push: bool) -> None:
    """Refuse, before any run, a checkout whose runs could not land where they belong."""
    if git("rev-parse", "--is-shallow-repository").strip() == "true":
        sys.exit("error: this is a shallow clone: DVC's queue reports success there but "
                 "keeps no experiment. Run `git fetch --unshallow` (in CI: fetch-depth: 0).")
    dirty = [line for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
             if not line[3:].startswith(OWN_FILES)]
    if dirty:
        sys.exit("error: uncommitted changes to tracked files would be baked into every run "
                 "(a sweep runs a commit): commit or stash them first, and keep machine "
                 "settings in `dvc remote modify --local`:\n" + "\n".join(dirty))
    if not push:
        return
    if not git("remote", "get-url", REMOTE, check=False).strip():
        sys.exit(f"error: no git remote '{REMOTE}': a shard pushes its runs there")
    found = dvc_run("remote", "default")
    name = found.stdout.strip() if found.returncode == 0 else ""
    if not name or " " in name:
        sys.exit("error: no default DVC remote: `dvc exp push` would push the runs' refs and "
                 "silently none of their models. Set one (credentials in --local config): "
                 "dvc remote add --local -d store URL")
    url = dvc_run("config", f"remote.{name}.url").stdout.strip()
    if "://" not in url:  # a folder: relative paths are relative to .dvc/
        folder = (Path(".dvc") / url).resolve()
        top = Path(git("rev-parse", "--show-toplevel").strip()).resolve()
        if folder == top or top in folder.parents:
            sys.exit(f"error: the DVC remote '{name}' ({url or 'empty'}) is inside this "
                     f"checkout: the models would stay on this machine")
    git("fetch", "--quiet", REMOTE)
    if not git("branch", "-r", "--list", f"{REMOTE}/*", "--contains", "HEAD").strip():
        sys.exit(f"error: HEAD ({baseline()[:7]}) is on no branch of '{REMOTE}': the collector "
                 "could not find its runs. Run shards on a pushed commit, and never commit on a shard.")


def push(sha: str, names: list[str]) -> tuple[list[str], list[str]]:
    """Push these finished runs (refs and, through the default DVC remote, their outputs),
    then check origin holds exactly our commits. Returns (pushed, problems).
    `dvc exp push` exits 0 on a name clash ("diverged") and pushes nothing; and it pushes
    the refs before the outputs, so a failed upload leaves refs without models: those
    refs are taken back, so that a retry pushes them again."""
    if not names:
        return [], []
    mine = local_runs(sha)
    done = dvc_run("exp", "push", REMOTE, *[exp_prefix(sha) + name for name in names])
    out = (done.stdout + done.stderr).strip()
    theirs = remote_refs(exp_prefix(sha))
    ours = [name for name in names if theirs.get(name) == mine[name]]
    if done.returncode:
        if ours:
            git("push", "--quiet", REMOTE, *[f":{exp_prefix(sha)}{name}" for name in ours])
        return [], [f"{name}: `dvc exp push` failed (exit {done.returncode}), nothing of it "
                    f"kept on {REMOTE}: {reason(out)}" for name in names]
    problems = []
    for name in names:
        if name not in theirs:
            problems.append(f"{name}: not on {REMOTE} after `dvc exp push`: {reason(out)}")
        elif theirs[name] != mine[name]:
            problems.append(f"{name}: {REMOTE} already has another run with this name for "
                            f"this baseline (another shard ran it?): not pushed")
    return ours, problems


def record_failures(sha: str, logs: dict[str, str]) -> None:
    """Push one `refs/sweeps/<sha>/failed/<name>` commit per failed run, holding its log."""
    for name, log in logs.items():
        blob = git("hash-object", "-w", "--stdin", stdin=log).strip()
        tree = git("mktree", stdin=f"100644 blob {blob}\tlog.txt\n").strip()
        commit = git("commit-tree", tree, "-p", sha, "-m", f"sweep run {name} failed").strip()
        git("push", "--quiet", "--force", REMOTE, f"{commit}:{failed_prefix(sha)}{name}")


def clear_failures(sha: str, names: list[str]) -> None:
    """A run that succeeded now is no longer failed: drop its record on origin, if any."""
    recorded = remote_refs(failed_prefix(sha))
    stale = [name for name in names if name in recorded]
    if stale:
        git("push", "--quiet", REMOTE, *[f":{failed_prefix(sha)}{name}" for name in stale])


def failures(sha: str) -> dict[str, str]:
    """The failed runs recorded on origin for this baseline: name -> its log."""
    recorded = remote_refs(failed_prefix(sha))
    if not recorded:
        return {}
    git("fetch", "--quiet", REMOTE, *[f"+{failed_prefix(sha)}{n}:{failed_prefix(sha)}{n}"
                                      for n in recorded])
    return {name: git("show", f"{commit}:log.txt", check=False) for name, commit in recorded.items()}


def reason(log: str) -> str:
    """The line of a run's log that says why it failed: the stage's own `error:` line if
    there is one (DVC's closing ERROR only names the stage), else the last line."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    ours = [line for line in lines if line.lower().startswith("error:")]
    stage = [line for line in ours if line.startswith("error:")]  # the stages' own lines
    return (stage or ours or lines or ["no log"])[-1]
