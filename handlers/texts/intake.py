"""What staff and residents read when staff log a request for a resident (代录: a call, a visit, a walk-in)."""

CHANNELS = {"phone": "电话", "walk-in": "来访", "visit": "走访"}
BAD_CHANNEL = "登记渠道请选 phone（电话）、walk-in（来访）或 visit（走访）。"
BAD_PHONE = "请填写居民的 11 位手机号码。"
BAD_TEXT = "请填写诉求内容（1 到 1000 字）。"
STAFF_ONLY = "代居民登记诉求只对社区和街道工作人员开放。"

PUSH_LOGGED = ("工作人员已根据您的{channel}为您登记诉求，编号 {id}：{text}\n"
               "回复“查询 {id}”查看进度。")
LOGGED = "已登记诉求 {id}（{category}），渠道：{channel}。"
