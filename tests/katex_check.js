// Render math blocks with KaTeX and report every error.
// stdin: JSON [{"id": "...", "tex": "...", "display": true|false}, ...]
// stdout: JSON [{"id": "...", "error": "..."}, ...] for the blocks KaTeX rejects,
// either by throwing (throwOnError) or by a strict-mode complaint (LaTeX that
// KaTeX accepts but that is not valid LaTeX, which other renderers reject).
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const errors = [];
  for (const block of JSON.parse(input)) {
    const complaints = [];
    try {
      katex.renderToString(block.tex, {
        displayMode: block.display,
        throwOnError: true,
        strict: (code, message) => { complaints.push(`${code}: ${message}`); return "ignore"; },
      });
    } catch (error) {
      complaints.push(String(error.message || error));
    }
    for (const message of complaints) {
      errors.push({ id: block.id, error: message });
    }
  }
  process.stdout.write(JSON.stringify(errors));
});
