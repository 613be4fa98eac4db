#!/usr/bin/env bash
# Installs the Python packages the tests need, from Debian (no PyPI needed): what the local runner
# runs jobs with (python3 with pandas, scikit-learn, xgboost and torch), and what builds the
# jsii-generated Python package into a wheel offline (build, setuptools, wheel). Needs root or
# sudo; does nothing when they are already importable.
set -euo pipefail
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import pandas, sklearn, xgboost, torch, build, setuptools, wheel' 2>/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends python3 python3-pandas python3-sklearn python3-xgboost python3-torch \
  python3-build python3-setuptools python3-wheel
"$PY" -c 'import pandas, sklearn, xgboost, torch; print("local runtime:", "pandas", pandas.__version__, "scikit-learn", sklearn.__version__, "xgboost", xgboost.__version__, "torch", torch.__version__)'
