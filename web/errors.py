"""Every error the site answers, in Chinese: JSON for the API and the JSON downloads, the error page otherwise.

The app's error handlers and the gunicorn worker (web/worker.py), which answers some
requests before the app sees them, both answer through error_answer(), so a reader gets the
same words, and the same choice of JSON or HTML, whoever answered.
"""
from flask import current_app, jsonify, render_template, request

# What each error the site answers means to a reader, by status.
ERRORS = {
    400: ("请求有误", "服务器无法读取这个请求。"),
    404: ("页面不存在", "没有找到这个页面或报告。"),
    408: ("请求超时", "在规定时间内没有收到完整的请求，请重试。"),
    414: ("网址太长", "请求的网址太长，请减少检索词或筛选条件后再试。"),
    431: ("请求头太大", "请求附带的信息太多，服务器无法处理。"),
    500: ("服务器出错了", "处理这个请求时出现了意外错误，已记录在服务器日志中。请稍后再试。"),
    501: ("不支持的请求", "服务器不支持这种请求方式。"),
}


def answers_in_json(path):
    """Tell whether a path of the site (below its root, without the query string) is answered in JSON:
    the API and the JSON downloads."""
    return path.startswith("/api/") or path.endswith(".json")


def error_answer(status, message=None, title=None, headers=None, **details):
    """Answer the request's error in Chinese: JSON for the API and JSON downloads, the error page otherwise."""
    title, message = title or ERRORS[status][0], message or ERRORS[status][1]
    if answers_in_json(request.path):
        return jsonify({"error": message, **details}), status, headers or {}
    return render_template("error.html", title=title, message=message), status, headers or {}


def raw_error(app, status, path, root=""):
    """Return a whole HTTP response of the site's error (page or JSON) for a request of path as bytes, closing the connection.

    For the server to send when it answers a request the app never saw (web/worker.py); root
    is the path the site is served under (SCRIPT_NAME), which the page's links carry.
    """
    with app.test_request_context(path, base_url=f"http://localhost{root}/"):
        response = app.process_response(app.make_response(error_answer(status)))
    response.headers["Connection"] = "close"
    body = response.get_data()
    response.headers["Content-Length"] = str(len(body))
    head = [f"HTTP/1.1 {response.status}"] + [f"{name}: {value}" for name, value in response.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1", "replace") + body


def index_missing(error):
    """Explain that the index has to be built, rebuilt or repaired, and with which command, instead of a traceback."""
    return error_answer(503, str(error), title=error.title)


def bad_parameter(error):
    """Name the unusable parameter: JSON for the API, a page for people; status 400."""
    return error_answer(400, str(error), title="参数有误", parameter=error.name)


def exports_busy(error):
    """Say that the exports are all taken, in Chinese (JSON for the JSON export); status 503, retry later."""
    retry = {"Retry-After": str(max(1, round(current_app.config["EXPORT_WAIT_SECONDS"])))}
    return error_answer(503, str(error), title="导出繁忙", headers=retry)


def not_found(error):
    """Chinese 404 page."""
    return error_answer(404)


def server_error(error):
    """Chinese 500 page; the traceback goes to the log, never to the visitor."""
    return error_answer(500)
