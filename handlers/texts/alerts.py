"""What residents, grid heads and staff read when a request is urgent."""

# The emergency numbers the hazard calls for (DOMAIN.md: urgency decides who is alerted).
CALL_FIRE = "如有明火、烟雾或燃气泄漏，请立即撤离并拨打 119；燃气泄漏请勿开关电器、勿用明火。"
CALL_AMBULANCE = "如有人受伤或昏迷，请立即拨打 120。"
CALL_POLICE = "如人身财产正受到威胁，请立即拨打 110。"
CALL_TRAPPED = "如有人被困，请拨打电梯内的救援电话或 119，不要强行扒门。"
CALL_ANY = "如有人身危险，请立即拨打 110/119/120。"

TOLD = "⚠️ 情况紧急，已同时通知{who}。\n{call}\n"
TOLD_NOBODY = "⚠️ 情况紧急，已登记为紧急诉求，正在联系值班人员。\n{call}\n"
GRID_HEADS = "{grid}网格长"
COMMUNITY_STAFF = "{community}工作人员"
DISTRICT_DUTY = "区值班人员"
AND = "、"

PUSH_ALERT = ("【紧急】诉求 {id}（{where}）：{text}\n居民电话 {phone}。\n"
              "请立即处置并回复“签收 {id}”；党员可回复“认领 {id}”。")
PUSH_CLIMBED = ("【紧急·升级】诉求 {id}（{where}）已 {minutes} 分钟无人签收或认领：{text}\n居民电话 {phone}。"
                "请立即安排并回复“签收 {id}”。")
NO_PHONE = "未留"
WHERE_UNKNOWN = "位置待定"

SIGN_FORBIDDEN = "签收只对职能部门联络员、网格长和社区工作人员开放。"
NOT_URGENT = "诉求 {id} 不是紧急诉求，不需要签收；请用“分派”或“认领”处理。"
ALREADY = "诉求 {id} 已经有人签收或认领了，谢谢！"
NOT_FOUND = "没有找到诉求 {id}，请核对编号。"
SIGNED = "已签收紧急诉求 {id}，请尽快到场或联系居民处置；可回复“回复 {id} 内容”告诉居民进展。"
PUSH_SIGNED = "您的紧急诉求 {id} 已由{who}签收，正在处置。回复“查询 {id}”查看进度。"
SIGNER_GRID_HEAD = "网格长"
