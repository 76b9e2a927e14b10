"""The dashboard: the three rates per grid or community, requests over time, overdue, ranking."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from aiohttp import web

from bot.console import charts
from bot.console.common import SETTINGS, STORAGE, csv_response, render, staff_of, wants_csv
from config.settings import Settings
from handlers.texts.requests import STATUS_NAMES
from models import stats
from models.clock import CHINA, to_local, utcnow

QUICK_PERIODS = (7, 30, 90, 365)
TOP_CATEGORIES = 6
KIND_ORDER = ("小事", "大事", "私事")
OTHER = "其他"


def routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard", page)


def period_of(query) -> stats.Period:
    """`from`/`to` as China-time dates (inclusive), else the last `days` days (default 30)."""
    today = to_local(utcnow()).date()
    start, end = _date(query.get("from")), _date(query.get("to"))
    if start is None or end is None or start > end:
        days = int(query["days"]) if query.get("days", "").isdigit() else 30
        start, end = today - timedelta(days=max(min(days, 3660), 1) - 1), today
    return stats.Period(_utc(start), _utc(end + timedelta(days=1)))


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _utc(day: date) -> datetime:
    """Midnight of a China-time day, as the UTC moment the database compares with."""
    return datetime.combine(day, time(), CHINA).astimezone(UTC)


async def page(request: web.Request) -> web.Response:
    staff, settings, period = staff_of(request), request.app[SETTINGS], period_of(request.query)
    by = request.query.get("by") if request.query.get("by") in ("community", "department") else "grid"
    async with request.app[STORAGE].sessions() as session:
        rates = await stats.rates(session, staff.scope, period, by, settings.console_response_limit_hours * 3600,
                                  settings.console_urgent_response_limit_hours * 3600)
        by_category = await stats.counts_over_time(session, staff.scope, period, "department")
        by_kind = await stats.counts_over_time(session, staff.scope, period, "kind")
        late = await stats.overdue(session, staff.scope, utcnow(), **limits(settings))
        ranking = await stats.member_ranking(session, staff.scope, period)
    table = request.query.get("table")
    if wants_csv(request):
        return _csv(table, rates, late, ranking, by_category)
    return render(request, "dashboard.html", rates=rates, by=by, late=late, ranking=ranking,
                  period=period, last_day=period.end - timedelta(days=1), quick=QUICK_PERIODS,
                  rate_chart=_rate_chart(rates), category_chart=_time_chart(period, by_category, TOP_CATEGORIES),
                  kind_chart=_time_chart(period, by_kind, 3, KIND_ORDER), query=request.query,
                  total_requests=sum(n for _, _, n in by_category),
                  url_for_csv=lambda name: request.rel_url.update_query(format="csv", table=name))


def limits(settings: Settings) -> dict:
    """督办 limits from the claiming queue's settings, in minutes per urgency."""
    return {"unclaimed": {True: settings.escalate_urgent_minutes, False: settings.escalate_normal_minutes},
            "no_progress": {True: settings.claim_urgent_minutes, False: settings.claim_normal_minutes}}


def _rate_chart(rates: list[stats.Rates]):
    rows = rates[:-1]  # the last row is the whole scope's total
    labels = [r.name for r in rows]
    return charts.grouped_bars(labels, charts.series([
        ("响应率", [r.response_rate for r in rows]), ("解决率", [r.resolution_rate for r in rows]),
        ("满意率", [r.satisfaction_rate for r in rows])]))


def _time_chart(period: stats.Period, counts: list[tuple[str, str, int]], keep: int, order=()):
    """Stacked counts per day (or month); the biggest `keep` groups, the rest as 其他."""
    labels = _buckets(period)
    totals: dict[str, int] = defaultdict(int)
    for _, name, n in counts:
        totals[name] += n
    names = [n for n in order if n in totals] or sorted(totals, key=totals.get, reverse=True)
    # 其他 is also a department of its own: it joins the rest, so it is one series, drawn last
    shown = [name for name in names if name != OTHER][:keep]
    grid: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for bucket, name, n in counts:
        grid[name if name in shown else OTHER][bucket] += n
    named = [(name, [grid[name][b] for b in labels]) for name in shown + ([OTHER] if OTHER in grid else [])]
    return charts.stacked_bars(labels, charts.series(named))


def _buckets(period: stats.Period) -> list[str]:
    first, last = to_local(period.start).date(), to_local(period.end).date() - timedelta(days=1)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if period.bucket == "month":
        return sorted({d.strftime("%Y-%m") for d in days})
    return [d.isoformat() for d in days]


def _csv(table, rates, late, ranking, by_category) -> web.Response:
    if table == "overdue":
        return csv_response("超时任务.csv", ("编号", "状态", "紧急", "类别", "内容", "登记时间", "督办级别"),
                            [(t.id, STATUS_NAMES.get(t.status, t.status), "是" if t.urgent else "", t.department,
                              t.text, t.created_at, t.escalation_level) for t in late])
    if table == "ranking":
        return csv_response("党员排行.csv", ("名次", "党员", "办结", "评价数", "满意数", "平均分"),
                            [(i + 1, m.name, m.finished, m.rated, m.satisfied,
                              f"{m.average_rating:.1f}" if m.average_rating else "") for i, m in enumerate(ranking)])
    if table == "counts":
        return csv_response("诉求数量.csv", ("日期", "类别", "数量"), by_category)
    return csv_response("三率.csv", ("单位", "诉求数", "按时响应", "已解决", "已评价", "满意", "响应率", "解决率", "满意率"),
                        [(r.name, r.total, r.responded, r.resolved, r.rated, r.satisfied, _pct(r.response_rate),
                          _pct(r.resolution_rate), _pct(r.satisfaction_rate)) for r in rates])


def _pct(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"
