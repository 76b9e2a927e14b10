"""Every sentence of subscriptions (订阅/退订/我的订阅) and staff notices (通知/确认/取消/通知状态)."""

SCOPE_WORDS = {"全区": "district", "区": "district", "街道": "street", "社区": "community", "网格": "grid",
               "小区": "grid"}
ALL_WORDS = ("全部", "所有")
URGENT_WORD = "紧急"

# subscriptions
SUBSCRIBED = "已订阅：{what}。以后有相关通知会第一时间推送给您。回复“我的订阅”查看，回复“退订”可随时取消。"
ALREADY = "您已经订阅了{what}，无需重复订阅。回复“我的订阅”查看全部。"
NEED_GRID = ("还不知道您住在哪个小区，无法确定{level}。请先回复“绑定 小区名 楼号”，"
             "例如：绑定 阳光花园 3号楼；或直接写社区名，例如：订阅 阳光社区。")
UNKNOWN_WORD = ("没有看懂“{word}”。可以这样写：订阅 社区 / 订阅 网格 / 订阅 全区 防汛 / 订阅 阳光社区；"
                "可订阅的主题：{topics}。")
UNSUBSCRIBED_ALL = "已为您退订全部通知，不会再收到推送。想重新订阅时回复“订阅”即可。"
UNSUBSCRIBED = "已退订：{what}。回复“我的订阅”查看剩下的订阅。"
NOT_SUBSCRIBED = "您没有订阅{what}。回复“我的订阅”查看当前订阅。"
MINE_HEADER = "您订阅的通知："
MINE_LINE = "· {unit}{topic}"
MINE_ALL_TOPICS = "（全部主题）"
MINE_TOPIC = "（仅“{topic}”）"
MINE_DEFAULT = "（关注时默认订阅所在社区）"
MINE_FOOTER = "回复“订阅 网格”“订阅 全区 防汛”增加订阅，回复“退订 活动”或“退订 全部”取消。"
MINE_NONE = "您目前没有订阅任何通知。回复“订阅”订阅所在社区的通知，或“订阅 阳光社区”指定社区。"
NO_DEFAULT_UNIT = "还不知道您住在哪里，请写明要订阅的社区，例如：订阅 阳光社区；或先回复“绑定 小区名 楼号”。"
UNFOLLOWED_NOTE = "（您已取消关注公众号，重新关注后才能收到推送。）"

# notices
COMPOSE_USAGE = ("发通知请这样写：通知 范围 标题|正文\n例如：通知 阳光社区 停水通知|明天9:00-12:00停水，请提前储水。\n"
                 "范围可以是社区名、网格名、街道名或“全区”；标题前加“紧急”可在夜间发送，加“#防汛”可打上主题。")
NOT_STAFF = "只有社区工作人员可以发布通知。如需发布，请联系社区或街道办理权限。"
NOT_STAFF_HERE = "您没有在“{unit}”发布通知的权限，只能向您负责的单位及其下级发布。"
UNKNOWN_SCOPE = "没有找到“{scope}”。范围请写社区名、网格名、街道名或“全区”，例如：通知 阳光社区 标题|正文。"
INCOMPLETE = "请写明发送范围、标题和正文。"
BAD_TOPIC = "主题只能从列表中选择，可用主题：{topics}。"
TOO_LONG = "标题请不超过{title}个字，正文不超过{body}个字，请精简后重新发送。"
PREVIEW = ("【通知预览】\n范围：{unit}\n标题：{title}\n正文：{body}{tags}{urgent}\n"
           "预计送达：{count} 人\n{when}\n回复“确认”发送，回复“取消”放弃。（{minutes}分钟内有效）")
PREVIEW_TAGS = "\n主题：{tags}"
PREVIEW_URGENT = "\n紧急：是（免打扰时段也会发送）"
WHEN_NOW = "发送时间：确认后立即发送。"
WHEN_QUIET = "现在是免打扰时段（{quiet}），确认后将于 {at} 开始发送；紧急通知请在标题前加“紧急”。"
NO_DRAFT = "没有待确认的通知。发通知请回复：通知 范围 标题|正文。"
SENT = "通知已提交（编号 {id}），正在发送，预计送达 {count} 人。回复“通知状态 {id}”查看送达情况。"
SCHEDULED = "通知已提交（编号 {id}），将于 {at} 开始发送（免打扰时段结束后）。回复“通知状态 {id}”查看。"
CANCELLED = "已取消，这条通知不会发送。"
STATUS_USAGE = "请写通知编号，例如：通知状态 3。"
STATUS_UNKNOWN = "没有找到编号为 {id} 的通知，请核对编号。"
STATUS = ("通知 {id}《{title}》\n状态：{state}\n已送达 {sent}，待发送 {pending}，失败 {failed}，跳过 {skipped}"
          "（跳过：已取消关注）。")
STATE_SCHEDULED = "等待发送（{at}）"
STATE_SENDING = "发送中"
STATE_DONE = "已发完"
