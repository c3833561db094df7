"""The relations ``check`` reports at a line of a post: the tests of post
readings (names, restatements) look a step up by where the post writes it."""

from symderive.post.check import check_post


def steps_at(post: str, line: int):
    found = [s for s in check_post(post, "post.md").relations if s.line == line]
    assert found, f"no relation at line {line}"
    return found
