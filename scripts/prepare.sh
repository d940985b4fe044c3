# Shared by ./run and ./test (sourced, not run): the venv, Python and front-end packages, and the
# compiled translations. Call `prepare <requirements file>` from the repository root.

PYTHON="${PYTHON:-python3.11}"
PY=.venv/bin/python

step() { printf '==> %s\n' "$*"; }

# pip warns about every package missing from the machine's extra local indexes; those lines are
# noise, everything else (errors included) is shown.
quiet_pip() {
    "$PY" -m pip install -q "$@" 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
}

prepare() {
    local requirements=$1
    if [[ ! -x $PY ]]; then
        step "创建虚拟环境 / creating .venv with $PYTHON"
        command -v "$PYTHON" >/dev/null || { echo "找不到 / not found: $PYTHON (need Python 3.11)" >&2; exit 1; }
        "$PYTHON" -m venv .venv
    fi

    step "安装 Python 依赖 / installing Python dependencies ($requirements + requirements.lock)"
    quiet_pip -r "$requirements" -c requirements.lock

    if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json
          && node_modules/.package-lock.json -nt package.json ]]; then
        step "前端依赖已是最新 / node_modules up to date, skipping npm ci"
    else
        step "安装前端依赖 / installing front-end packages (npm ci)"
        npm ci --no-audit --no-fund --loglevel=error
    fi

    step "复制前端文件 / copying front-end files (build_assets)"
    "$PY" manage.py build_assets

    step "编译翻译 / compiling translations (pybabel)"
    .venv/bin/pybabel -q compile -d locale -D django
}
