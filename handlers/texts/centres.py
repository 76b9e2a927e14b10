"""What residents read about the red map (红色地图): service centres near them."""

NEARBY_HEADER = "离您最近的党群服务中心/站："
CENTRE = "{n}. {name}（{distance}）\n地址：{address}\n开放：{hours}\n电话：{phone}"
SERVICES = "服务：{services}"
NEARBY_FOOTER = "活动室可在小程序“红色地图”中预约；回复“帮助”查看更多功能。"
METRES = "约 {m} 米"
KILOMETRES = "约 {km:.1f} 公里"
NONE_YET = "附近暂时没有登记的党群服务中心，请拨打 12345 咨询，或回复“帮助”查看其他功能。"
ASK_LOCATION = ("请点输入框旁的“+”，选择“位置”发送给我们，就能找到离您最近的党群服务中心/站。")
UNKNOWN_HOURS = "请电话咨询"

# room booking (阵地预约)
NO_ROOM = "没有找到这个活动室，请返回刷新后再试。"
NO_BOOKING = "没有找到这条预约，请返回刷新后再试。"
BOOKING_ORDER = "结束时间要晚于开始时间，请重新选择。"
BOOKING_PAST = "不能预约已经过去的时间，请重新选择。"
BOOKING_TOO_LONG = "一次最多预约 {hours} 小时，请缩短时间。"
BOOKING_TOO_FAR = "最多只能预约 {days} 天以内的时间。"
BOOKING_CLOSED = "{centre}的开放时间是“{hours}”，请在开放时间内预约。"
BOOKING_TAKEN = "这个时段已被预约（{start}–{end}），请换个时间或换个活动室。"
BOOKED = "预约成功：{room} {start}–{end}。如不能前往，请提前取消，把时段让给邻居。"
CANCELLED = "已取消预约，这个时段已释放。"
ALREADY_CANCELLED = "这条预约已经取消过了。"
