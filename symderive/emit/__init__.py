"""The output layer's report emitters: text for a terminal, JSON, GitHub
Actions workflow commands and JUnit XML, for ``verify`` (``derivations``,
reports of derivation files) and ``check`` (``posts``, reports of posts).
``common`` holds what both share: the JSON form of evidence, the one
counterexample sentence, colours, CI problems and their encodings.

Emitters read the model (``report``, ``post.report``, ``evidence``) and
never prove anything; the model never imports them.
"""
