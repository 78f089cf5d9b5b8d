"""Old addresses keep working when an article moves: `Redirect_from: /tin-tuc/ten-cu.html`.

Each old path (comma-separated, root-relative) gets a small page that sends the
reader on (meta refresh), tells search engines the new address (canonical) and
shows a link for readers whose browser does not follow. The pages are written
once everything else is, so a redirect that would replace a real page, or an
old path claimed twice, is found for certain and reported to the editor.
"""

from collections import defaultdict
import os
import re
from urllib.parse import unquote

from pelican import signals

from site_core.problems import ContentProblem, raise_if_any, relative_source
from site_core.sources import header_line

METADATA_KEY = "redirect_from"
SAFE_PATH = re.compile(r"^/(?:[A-Za-z0-9._~%-]+/)*(?:[A-Za-z0-9._~%-]+)?$")
PAGE_SUFFIXES = (".html", ".htm")
FIX_FORMAT = ("viết đường dẫn cũ bắt đầu bằng /, không có tên miền, là một trang .html hoặc một thư mục, "
              "ví dụ /tin-tuc/ten-cu.html hay /tin-tuc/ten-cu/; nhiều đường dẫn cách nhau bằng dấu phẩy.")


class Redirects:
    """What one build needs: the contents that declare old paths and the template."""

    def __init__(self):
        self.contents, self.template, self.context = [], None, None

    def collect_articles(self, generator):
        self.contents += [*generator.articles, *generator.hidden_articles]
        self.template = generator.get_template("redirect")
        self.context = generator.context

    def collect_pages(self, generator):
        self.contents += [*generator.pages, *generator.hidden_pages]

    def write(self, pelican):
        if self.template is not None:
            write_redirects(self.contents, self.template, self.context, pelican.settings["OUTPUT_PATH"])
        self.__init__()


def old_paths(content):
    value = content.metadata.get(METADATA_KEY, "")
    return [path.strip() for path in str(value).split(",") if path.strip()]


def output_file(old_path):
    """Where the redirect page for `old_path` is written, relative to the output folder;
    None for a file that is not a page (a host would not serve HTML for it)."""
    relative = unquote(old_path).lstrip("/")
    if not relative or relative.endswith("/"):
        return relative + "index.html"
    if relative.lower().endswith(PAGE_SUFFIXES):
        return relative
    if "." in relative.rsplit("/", 1)[-1]:
        return None
    return relative + "/index.html"


def occupied(target, existing):
    """The redirect would replace a real file, or need a folder where a real file is."""
    parts = target.split("/")
    return any("/".join(parts[:end]) in existing for end in range(1, len(parts) + 1))


def real_files(context, output_path):
    """Every file of the site that is not a redirect: written now, or known to Pelican."""
    known = {getattr(item, "save_as", "") for item in [*context.get("generated_content", {}).values(),
                                                       *context.get("static_content", {}).values()]}
    for folder, _, names in os.walk(output_path):
        for name in names:
            known.add(os.path.relpath(os.path.join(folder, name), output_path).replace(os.sep, "/"))
    return known - {""}


def redirect_problems(contents, existing):
    problems, claims = [], defaultdict(list)
    for content in contents:
        source = relative_source(content.source_path, content.settings)
        line = header_line(content.source_path, METADATA_KEY)
        for path in old_paths(content):
            if (not SAFE_PATH.match(path) or "/../" in path + "/" or "/./" in path + "/"
                    or output_file(path) is None):
                problems.append(ContentProblem(source, line, f'Đường dẫn cũ "{path}" không hợp lệ.', FIX_FORMAT))
            elif output_file(path) == content.save_as:
                problems.append(ContentProblem(source, line, f'Đường dẫn cũ "{path}" chính là địa chỉ hiện tại của bài.',
                                               "bỏ đường dẫn này khỏi dòng Redirect_from."))
            elif occupied(output_file(path), existing):
                problems.append(ContentProblem(source, line, f'Đường dẫn cũ "{path}" đang là một trang thật của trang web.',
                                               "chuyển hướng không được thay thế trang đang có; kiểm tra lại đường dẫn."))
            else:
                claims[output_file(path)].append((content, source, line, path))
    for claimants in claims.values():
        if len(claimants) > 1:
            sources = ", ".join(source for _, source, _, _ in claimants)
            for _, source, line, path in claimants:
                problems.append(ContentProblem(source, line, f'Đường dẫn cũ "{path}" được khai báo ở nhiều bài: {sources}.',
                                               "mỗi đường dẫn cũ chỉ chuyển về một bài; xóa nó khỏi các bài còn lại."))
    return problems, {target: claimants[0][0] for target, claimants in claims.items()}


def write_redirects(contents, template, context, output_path):
    contents = [content for content in contents if old_paths(content)]
    if not contents:
        return  # no need to list the whole output (thousands of files) to find clashes
    problems, redirects = redirect_problems(contents, real_files(context, output_path))
    raise_if_any(problems)
    for target, content in sorted(redirects.items()):
        path = os.path.join(output_path, target)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as page:
            page.write(template.render({**context, "target": content}))


current_build = Redirects()


def register():
    signals.article_generator_finalized.connect(current_build.collect_articles)
    signals.page_generator_finalized.connect(current_build.collect_pages)
    signals.finalized.connect(current_build.write)
