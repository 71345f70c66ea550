#!/usr/bin/python3
"""Compares what archiver stored with the harness's ground truth (manifest.jsonl).

usage: check_articles.py MANIFEST BASE_URL EXPORT_JSONL
Reads `archiver export --format jsonl` output (one article per line) and checks, for every
article of the manifest: stored at all, title, published date, 期次, author, and the body's
SHA-1 (paragraphs joined by newlines, as the manifest hashes it; a byline paragraph "（…）"
that archiver reads as the author is not part of archiver's body, so both forms are accepted;
the author is compared without its label, 本报记者 and the like, as the contract has it).
Prints one JSON line: {"expected", "stored", "right", "wrong": [first few differences]}.
"""
import hashlib
import json
import re
import sys

# The contract's author is the credit without its label: "本报记者 于强刚" is "于强刚".
LABEL = re.compile(r"(本报记者|本报通讯员|见习记者|通讯员|记者)\s*")


def sha1(text):
    return hashlib.sha1(text.encode()).hexdigest()


def main():
    manifest_path, base, export_path = sys.argv[1:4]
    stored = {}
    with open(export_path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            stored[row["url"]] = row
    expected = right = 0
    wrong = []
    with open(manifest_path, encoding="utf-8") as f:
        for line in f:
            want = json.loads(line)
            expected += 1
            url = base + want["url"]
            got = stored.get(url)
            problems = []
            if got is None:
                problems.append("not stored")
            else:
                if got.get("title") != want["title"]:
                    problems.append(f"title {got.get('title')!r} != {want['title']!r}")
                if (got.get("published") or "")[:10] != want["date"]:
                    problems.append(f"published {got.get('published')!r} != {want['date']!r}")
                if got.get("issue") != str(want["issue"]):
                    problems.append(f"issue {got.get('issue')!r} != {want['issue']!r}")
                author = LABEL.sub("", want["author"].strip("（）")).strip() if want["author"] else None
                if (got.get("author") or None) != (author or None):
                    problems.append(f"author {got.get('author')!r} != {author!r}")
                body = got.get("body") or ""
                byline = f"\n（{want['author']}）"
                if want["body_sha1"] not in (sha1(body), sha1(body + byline)):
                    problems.append("body differs")
            if problems:
                if len(wrong) < 5:
                    wrong.append({"url": url, "problems": problems})
            else:
                right += 1
    print(json.dumps({"expected": expected, "stored": len(stored), "right": right,
                      "wrong": wrong}, ensure_ascii=False))
    return 0 if right == expected else 1


if __name__ == "__main__":
    sys.exit(main())
