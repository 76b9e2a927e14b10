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
