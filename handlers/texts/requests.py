"""What residents read about their own requests (诉求)."""

from models.tickets import TicketStatus

STATUS_NAMES = {
    TicketStatus.triage: "待分派",
    TicketStatus.queued: "待认领",
    TicketStatus.claimed: "办理中",
    TicketStatus.done: "已办结待评价",
    TicketStatus.closed: "已完结",
    TicketStatus.forwarded: "已转交职能部门",
    TicketStatus.advised: "已答复",
    TicketStatus.acknowledged: "职能部门办理中",
    TicketStatus.returned: "待街道重新转派",
    TicketStatus.withdrawn: "已撤回",
}

ACTION_NAMES = {
    "created": "已登记",
    "claimed": "党员已认领",
    "progress": "办理进展",
    "done": "已办结",
    "released": "退回队列",
    "expired": "认领超时退回",
    "escalated": "已督办",
    "rated": "已评价",
    "reopened": "重新办理",
    "forwarded": "转交部门",
    "reassigned": "重新分派",
    "corrected": "更正分类",
    "closed": "已关闭",
    "acknowledged": "部门已签收",
    "answered": "部门已答复",
    "returned": "部门退回街道",
    "alert_acknowledged": "紧急诉求已签收",
    "alert_climbed": "紧急诉求升级",
    "replied": "工作人员回复",
    "withdrawn": "居民撤回",
    "contact_viewed": "认领党员查看了您的联系方式",
}

URGENT_NOTE = "⚠️ 情况紧急，已优先处理；如有人身危险请立即拨打 119/110/120。\n"
# The classifier misses about a quarter of emergencies worded in ways it has not seen
# (README, nlp: blind2), so every other request carries the numbers too.
SAFETY_HINT = "如遇危险，请直接拨打 110/119/120。\n"

# Recall first: a hazard named without who is exposed goes to the grid head to check now.
MAYBE_URGENT_NOTE = "⚠️ 可能有危险，已请网格长马上核实；如有人身危险请立即拨打 110/119/120。\n"

NEXT_STEP = {
    TicketStatus.queued: "已进入网格认领队列，党员认领后会通知您。",
    TicketStatus.triage: "网格员会尽快确认位置并分派，也可以回复“绑定 小区名 楼栋”告诉我们您住哪里。",
    TicketStatus.forwarded: "这件事需要政府职能部门（{department}）办理，社区会转交并跟踪进度。",
    TicketStatus.advised: "这属于个人事务，建议先联系物业或相关服务机构；如需社区帮助，回复“需要帮助 {id}”。",
}

CREATED = "已收到您的诉求，编号 {id}（{category}）。\n{urgent}{next_step}\n回复“查询 {id}”查看进度。"
NO_OPEN = "您目前没有办理中的诉求。直接发送文字即可反映问题。"
OPEN_HEADER = "您办理中的诉求："
OPEN_LINE = "{id}号 {status}：{text}"
OPEN_FOOTER = "回复“查询 编号”查看详情。"
HISTORY_HEADER = "诉求 {id}（{status}）：{text}"
HISTORY_LINE = "{time} {action}{note}"
NOT_FOUND = "没有找到编号 {id} 的诉求，请核对编号；回复“查询”查看您的全部诉求。"
QUERY_USAGE = "查询用法：回复“查询”看全部诉求，或“查询 12”看编号 12 的进度。"
