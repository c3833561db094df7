"""Reading posts: find the math of a Markdown or LaTeX document, the
definitions and conditions its prose states, and check every relation."""
