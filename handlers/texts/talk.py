"""What people read when they talk to each other through the account: 回复, 撤回, contact details."""

USAGE = {
    "回复": "回复用法：回复 编号 内容，例如：回复 12 我们下午三点上门查看。",
    "撤回": "撤回用法：撤回 编号 [原因]，例如：撤回 12 已经修好了。",
}
NOT_FOUND = "没有找到诉求 {id}，请核对编号。"
MAY_NOT_REPLY = "只有认领的党员、网格长、职能部门联络员和社区工作人员可以回复诉求 {id} 的居民。"
NOT_YOUR_REQUEST = "诉求 {id} 不是您提交的，只有提交人可以撤回。"
CANNOT_WITHDRAW = "诉求 {id} 目前{status}，不能撤回。"
CHANGED_MEANWHILE = "诉求 {id} 刚刚有了变化，请回复“查询 {id}”看看最新情况。"
NOBODY_TO_TELL = "居民已取消关注，暂时无法收到您的回复；如有电话，请直接联系。"

REPLIED = "已把您的回复发给诉求 {id} 的居民。"
WITHDRAWN = "诉求 {id} 已撤回，谢谢您告诉我们！有新问题随时发消息。"

WHO = {"claimer": "认领的党员", "grid_head": "网格长", "department": "职能部门", "staff": "社区工作人员"}
PUSH_REPLY = "关于您的诉求 {id}，{who}回复：{text}\n回复“查询 {id}”查看进度。"
PUSH_WITHDRAWN = "诉求 {id} 已由居民撤回（{reason}），不需要再办理，谢谢！"
NO_REASON = "居民未说明原因"
PUSH_RELEASED = "您的诉求 {id} 的认领党员因故放弃，诉求已回到网格认领队列，会有其他党员接手。回复“查询 {id}”查看进度。"

CONTACT = "居民联系方式：电话 {phone}，地址 {address}（仅认领人可见，请勿外传）。"
NO_PHONE = "未留电话"
NO_ADDRESS = "待确认"
