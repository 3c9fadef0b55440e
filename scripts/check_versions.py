"""check_versions.py: versions.env is the only place a pinned version is written.

  python3 scripts/check_versions.py              # check the repo (used by scripts/test.sh)
  python3 scripts/check_versions.py --run-lines  # print docker/Dockerfile's RUN lines as a
                                                 # bash script (test.sh shellchecks it)

Fails if a value from versions.env appears in any other file that configures, builds or
runs something (tracked or not yet added; git-ignored ones excepted): scripts, Docker and
Binder files, CI, Go code (not its `//` comments), go.mod, shell, Python, YAML/TOML, and
the code cells of notebooks. Prose and data (Markdown, JSON, CSV, text: e.g. benchmark
results that record which Go ran them) are not searched. Mirrors allowed:
  - go.mod files (Go needs versions there); pinned modules must equal versions.env;
  - the FROM line of docker/Dockerfile (FROM cannot read a file); must be equal;
  - a line that declares itself a mirror: it or one of the 3 lines above names the key
    and versions.env, e.g. `// EChartsVersion mirrors ECHARTS_JS_VERSION in versions.env`.
    Such a mirror needs its own test that it agrees with versions.env.
Also checks that the Dockerfile's FROM equals JUPYTER_BASE_IMAGE and that its RUN lines
read versions through the scripts.
"""

import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCKERFILE = "docker/Dockerfile"

# Go modules that a go.mod must require at exactly the pinned version, if at all: gonbui
# must speak the protocol of the installed GoNB kernel, and the charts are written for
# one go-echarts. (x/tools in go.mod is whatever a dependency needs, not goimports.)
GO_MODULES = {
    "github.com/janpfeifer/gonb": "GONB_VERSION",
    "github.com/go-echarts/go-echarts/v2": "GO_ECHARTS_VERSION",
}
REQUIRED = ["GO_VERSION", "GONB_VERSION", "XTOOLS_VERSION", "GOPLS_VERSION", "GO_ECHARTS_VERSION",
            "ECHARTS_JS_VERSION", "ECHARTS_JS_INTEGRITY", "JUPYTER_BASE_IMAGE"]
CONFIG_DIRS = ("scripts/", "docker/", "binder/", ".ci/", "tools/")
CONFIG_SUFFIXES = (".go", ".sh", ".bash", ".py", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".env",
                   ".ipynb", ".dockerignore")
CONFIG_NAMES = {"go.mod", "Dockerfile", "Makefile", "package.json", "postBuild", "start",
                "apt.txt", "requirements.txt", "environment.yml", "runtime.txt", "go.work"}


def is_config(path):
    """is_config reports whether path configures, builds or runs something."""
    if path == "versions.env" or path.endswith("go.sum"):
        return False
    name = os.path.basename(path)
    return (path.startswith(CONFIG_DIRS) or path.endswith(CONFIG_SUFFIXES)
            or name in CONFIG_NAMES or name.startswith("Dockerfile"))


def file_lines(path):
    """file_lines returns the lines to search: a notebook's code cells, else the file."""
    full = os.path.join(REPO, path)
    with open(full, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".ipynb"):
        import json
        nb = json.loads(text)
        lines = []
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code":
                src = cell.get("source", "")
                lines += ("".join(src) if isinstance(src, list) else src).splitlines()
        return lines
    return text.splitlines()


def read_versions():
    versions = {}
    with open(os.path.join(REPO, "versions.env")) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"([A-Z][A-Z0-9_]*)=([^\s\"']*)", line)
            if not m:
                sys.exit("versions.env:%d: not KEY=VALUE: %s" % (n, line))
            versions[m.group(1)] = m.group(2)
    return versions


def repo_files():
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=REPO, check=True, capture_output=True).stdout.decode()
    return sorted({p for p in out.split("\0") if p and os.path.isfile(os.path.join(REPO, p))})


def patterns(versions):
    """patterns maps each key to a regexp matching its value as a whole version."""
    pats = {}
    for key, value in versions.items():
        if not value:
            continue
        if key == "JUPYTER_BASE_IMAGE":
            tag = value.rsplit(":", 1)[-1]
            pats[key] = re.compile(re.escape(value) + "|(?<![\\w.-])" + re.escape(tag) + "(?![\\w.])")
        elif key == "ECHARTS_JS_INTEGRITY":
            pats[key] = re.compile(re.escape(value.split("-", 1)[-1][:24]))
        else:
            bare = value[1:] if value.startswith("v") else value
            pats[key] = re.compile(r"(?<![\w.])(?:v|go)?" + re.escape(bare) + r"(?![\w]|\.\d)")
    return pats


def allowed_mirror(path, lines, n, key):
    """allowed_mirror reports whether line n (0-based) may repeat the value of key."""
    line = lines[n]
    if os.path.basename(path) == "go.mod":
        # Requires of other modules are their own versions; pinned ones are checked below.
        return True
    if path == DOCKERFILE and key == "JUPYTER_BASE_IMAGE" and line.startswith("FROM "):
        return True
    # A declared mirror: the line or one of the 3 lines above names the key and
    # versions.env (e.g. "// EChartsVersion mirrors ECHARTS_JS_VERSION in versions.env"),
    # and a test of its own checks that they agree.
    near = " ".join(lines[max(0, n - 3):n + 1])
    return key in near and "versions.env" in near


def check():
    versions = read_versions()
    errors = []
    for key in REQUIRED:
        if not versions.get(key):
            errors.append("versions.env: %s is missing or empty" % key)
    pats = patterns(versions)

    for path in repo_files():
        if not is_config(path):
            continue
        try:
            lines = file_lines(path)
        except (UnicodeDecodeError, OSError, ValueError):
            continue
        for n, line in enumerate(lines, 1):
            code = line
            if path.endswith(".go") and "//" in line:
                # An example in a Go comment ("e.g. go1.N.M") pins nothing.
                code = line[:line.index("//")]
            for key, rx in pats.items():
                if rx.search(code) and not allowed_mirror(path, lines, n - 1, key):
                    errors.append("%s:%d: repeats %s=%s (read it from versions.env instead): %s"
                                  % (path, n, key, versions[key], line.strip()[:120]))
            # go.mod: a pinned module at another version than versions.env says.
            if os.path.basename(path) == "go.mod":
                m = re.match(r"^\s*(?:require\s+)?(\S+)\s+(v\S+)", line)
                if m and m.group(1) in GO_MODULES:
                    key = GO_MODULES[m.group(1)]
                    if versions.get(key) and m.group(2) != versions[key]:
                        errors.append("%s:%d: requires %s %s but versions.env pins %s=%s"
                                      % (path, n, m.group(1), m.group(2), key, versions[key]))
                m = re.match(r"^\s*toolchain\s+go(\S+)", line)
                if m and m.group(1) != versions.get("GO_VERSION"):
                    errors.append("%s:%d: toolchain go%s but versions.env pins GO_VERSION=%s"
                                  % (path, n, m.group(1), versions.get("GO_VERSION")))

    errors += check_dockerfile(versions)
    errors += check_package_list()
    for e in errors:
        print(e)
    if errors:
        print("\nversions check: %d problem(s). versions.env is the one place for versions." % len(errors))
        return 1
    print("versions check: ok (%d keys, %d files searched)"
          % (len(versions), len([p for p in repo_files() if is_config(p)])))
    return 0


def dockerfile_instructions():
    """dockerfile_instructions yields (instruction, arguments) with continuations joined."""
    with open(os.path.join(REPO, DOCKERFILE)) as f:
        text = f.read()
    buf = ""
    for raw in text.splitlines():
        if not buf and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        if raw.rstrip().endswith("\\"):
            buf += raw.rstrip()[:-1] + "\n"
            continue
        buf += raw
        word, _, rest = buf.strip().partition(" ")
        yield word.upper(), rest.strip()
        buf = ""


def check_dockerfile(versions):
    errors = []
    ins = list(dockerfile_instructions())
    froms = [a for i, a in ins if i == "FROM"]
    if froms != [versions.get("JUPYTER_BASE_IMAGE")]:
        errors.append("%s: FROM %s, but versions.env has JUPYTER_BASE_IMAGE=%s"
                      % (DOCKERFILE, froms, versions.get("JUPYTER_BASE_IMAGE")))
    runs = " ".join(a for i, a in ins if i == "RUN")
    for script in ("scripts/install-packages.sh", "scripts/install-go.sh", "scripts/install.sh"):
        if script not in runs:
            errors.append("%s: no RUN calls %s" % (DOCKERFILE, script))
    for i, a in ins:
        if i == "ARG" and "=" in a:
            errors.append("%s: ARG with a default (%s): read versions.env in RUN instead" % (DOCKERFILE, a))
    return errors


def check_package_list():
    """binder/apt.txt is the one list of system packages: Binder reads it, the Dockerfile
    copies it for scripts/install-packages.sh, and install.sh runs that script."""
    errors = []
    path = os.path.join(REPO, "binder/apt.txt")
    try:
        with open(path) as f:
            names = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    except OSError as e:
        return ["binder/apt.txt: %s" % e]
    for n in names:
        if not re.match(r"^[a-z0-9][a-z0-9+.-]+$", n):
            errors.append("binder/apt.txt: %r is not a Debian package name (one per line)" % n)
    copies = " ".join(a for i, a in dockerfile_instructions() if i == "COPY")
    if "binder/apt.txt" not in copies:
        errors.append("%s: does not COPY binder/apt.txt (the one package list)" % DOCKERFILE)
    with open(os.path.join(REPO, "scripts/install.sh")) as f:
        if "scripts/install-packages.sh" not in f.read():
            errors.append("scripts/install.sh: does not run scripts/install-packages.sh")
    with open(os.path.join(REPO, "scripts/install-packages.sh")) as f:
        if "binder/apt.txt" not in f.read():
            errors.append("scripts/install-packages.sh: does not read binder/apt.txt")
    return errors


def run_lines():
    print("#!/usr/bin/env bash")
    print("# RUN lines of %s, for shellcheck. Not meant to be run." % DOCKERFILE)
    print("set -euo pipefail")
    print("export NB_USER=jovyan")
    for i, a in dockerfile_instructions():
        if i == "RUN":
            if a.startswith("["):
                sys.exit("%s: exec-form RUN is not checked: %s" % (DOCKERFILE, a))
            print(a)


if __name__ == "__main__":
    if sys.argv[1:] == ["--run-lines"]:
        run_lines()
        sys.exit(0)
    sys.exit(check())
