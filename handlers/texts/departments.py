"""What liaisons, street staff and residents read about 大事 handled by departments."""

USAGE = {
    "签收": "签收用法：签收 编号，例如：签收 12（情况复杂、需要15天答复的写：签收 12 复杂）。",
    "退回": "退回用法：退回 编号 原因，例如：退回 12 不属于本部门职责。",
    "答复": "答复用法：答复 编号 内容，例如：答复 12 已安排抢修，今晚恢复供电。",
    "转派": "转派用法：转派 编号 部门名，例如：转派 12 城乡建设。",
}
NOT_FOUND = "没有找到诉求 {id}，请回复“部门待办”查看您的待办。"
NOT_LIAISON = "这个功能只对职能部门联络员开放；如需开通，请联系街道工作人员。"
NOT_YOUR_DEPARTMENT = "诉求 {id} 不在您所在部门的待办里，不能这样操作。"
NOT_STREET_STAFF = "只有街道工作人员可以转派诉求 {id}。"
WRONG_STATE = "诉求 {id} 目前{status}，不能这样操作。"
NOT_A_DEPARTMENT_CASE = "诉求 {id} 是社区的小事，不由职能部门办理；请用“认领 {id}”等命令。"
UNKNOWN_DEPARTMENT = "没有找到部门“{name}”，可选：{names}。"
NO_DEPARTMENTS = "还没有登记任何职能部门，请先用 linli departments add 添加。"
CHANGED_MEANWHILE = "诉求 {id} 刚刚被其他人处理过，请回复“部门待办”查看最新情况。"
ALERT_NOT_URGENT = "诉求 {id} 不是紧急诉求，不需要签收；请用“分派”或“认领”处理。"
ALERT_ALREADY = "诉求 {id} 已经有人签收了，谢谢！"

ACKNOWLEDGED = ("已签收诉求 {id}（{department}）。请在 {due} 前答复：回复“答复 {id} 内容”；"
                "不属于本部门请回复“退回 {id} 原因”。")
ALERT_ACKNOWLEDGED = "已签收紧急诉求 {id}，请尽快到场或联系居民处置，处置后可回复“回复 {id} 内容”告知居民。"
RETURNED = "诉求 {id} 已退回街道，街道工作人员会重新转派。"
ANSWERED = "已答复诉求 {id}，答复已推送给居民，居民评价后办结。"
REDISPATCHED = "诉求 {id} 已转派给{department}，并已通知联络员。"

LIST_HEADER = "{department}待办："
LIST_LINE = "{id}号{urgent} {status} {due}前：{text}"
LIST_NONE = "您的部门目前没有待办的诉求。"
LIST_FOOTER = "回复“签收 编号”“答复 编号 内容”或“退回 编号 原因”。"
WAITING_HEADER = "待转派的大事（回复“转派 编号 部门名”）："
WAITING_LINE = "{id}号{urgent} {text}{why}"
WAITING_NONE = "目前没有待转派的大事。"
URGENT_MARK = "【急】"
STATUS = {"forwarded": "待签收", "acknowledged": "待答复"}

PUSH_NEW = "【新诉求】{department}收到诉求 {id}{urgent}：{text}\n请在 {due} 前回复“签收 {id}”。"
PUSH_ACKNOWLEDGED = "您的诉求 {id} 已由{department}签收，正在办理，{due}前答复您。回复“查询 {id}”查看进度。"
PUSH_ANSWERED = "{department}答复您的诉求 {id}：{answer}\n请为这次办理打分：回复“评价 {id} 5”（1 到 5 分，可加意见）。"
PUSH_RETURNED = "【退回】{department}退回诉求 {id}：{reason}\n请回复“转派 {id} 部门名”重新转派。原文：{text}"
PUSH_LADDER = "【督办】诉求 {id}（{department}）已超过{phase}时限（{due}），请尽快办理：{text}"
PUSH_REOPENED = "【重办】诉求 {id} 居民对部门答复评价 {rating} 分（{note}），已退回街道，请回复“转派 {id} 部门名”重新安排。"
RATED_BAD = "很抱歉这次办理让您不满意。诉求 {id} 已退回街道重新转派，会有专人跟进。"
PHASE = {"forwarded": "签收", "acknowledged": "答复"}
BAD_NAME = "部门名称请写 2 到 32 个字，例如：城乡建设。"
UNKNOWN_STREET = "没有找到街道“{name}”，请核对名称。"
DEPARTMENT_EXISTS = "部门“{name}”已经登记过了。"
AMBIGUOUS_DEPARTMENT = "有多个街道登记了“{name}”，请写明街道，例如：{name}/幸福街道。"
STAFF_ONLY = "这个功能只对街道和社区工作人员开放。"
