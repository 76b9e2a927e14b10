"""What members, applicants and staff read about registration (报到), roles and binding a home."""

REGISTER_USAGE = ("报到用法：报到 社区名 姓名 手机号，例如：报到 阳光社区 张三 13812345678。"
                  "社区名也可以用编号（如 S01-C01）。")
UNKNOWN_COMMUNITY = "没有找到社区“{name}”，请核对社区名或编号（如 阳光社区、S01-C01）后重新发送报到。"
BAD_PHONE = "手机号“{phone}”格式不对，请填写 11 位手机号，例如：报到 阳光社区 张三 13812345678。"
BAD_NAME = "姓名请填写 2 到 20 个字，例如：报到 阳光社区 张三 13812345678。"
CHOOSE_KIND = ("{name}同志您好，正在向{community}报到（手机 {phone}）。请回复数字选择您的党员类型：\n"
               "1 在职党员\n2 居民党员\n3 流动党员\n4 离退休党员\n回复“取消”放弃报到。")
KIND_AGAIN = "请回复 1 到 4 的数字选择党员类型：1 在职 2 居民 3 流动 4 离退休；回复“取消”放弃报到。"
CANCELLED = "已取消报到。需要时再发送“报到 社区名 姓名 手机号”即可。"
APPLIED = ("报到申请已提交（申请编号 {id}，{kind}党员，{community}）。社区工作人员审核后会通知您，"
           "通过后回复“任务”即可认领身边的小事。")
ALREADY_MEMBER = "您已是{community}的报到党员，无需重复报到。回复“任务”查看可认领的任务。"

APPROVED_PUSH = "您向{community}的报到已审核通过！回复“任务”查看可认领的任务，回复“积分”查看您的积分。"
REJECTED_PUSH = "很抱歉，您向{community}的报到未通过审核{reason}。如有疑问请联系社区，或核对信息后重新报到。"

STAFF_ONLY = "这个功能只对社区工作人员开放。"
NOT_YOUR_UNIT = "申请 {id} 不在您负责的社区，无法处理。"
NO_PENDING = "目前没有待审核的报到申请。"
PENDING_HEADER = "待审核的报到申请（回复“通过 编号”或“驳回 编号 原因”）："
PENDING_LINE = "{id}. {name} {phone} {kind}党员 · {community}"
DECIDE_USAGE = "用法：通过 申请编号（可加网格名，如：通过 3 阳光第一网格），或：驳回 申请编号 原因。"
NO_APPLICATION = "没有找到申请 {id}，请回复“审核”查看待审核的申请。"
ALREADY_DECIDED = "申请 {id} 已经处理过（{status}），无需重复操作。"
UNKNOWN_GRID = "没有找到网格“{name}”，请核对网格名或编号。"
GRID_OTHER_COMMUNITY = "网格“{name}”不属于{community}，只能把申请人分到{community}的网格，请重新选择。"
APPROVED_DONE = "已通过 {name} 的报到（{community}{grid}），并已通知本人。"
REJECTED_DONE = "已驳回 {name} 的报到，并已通知本人。"
STATUS_NAMES = {"pending": "待审核", "approved": "已通过", "rejected": "已驳回"}

BIND_USAGE = "绑定用法：绑定 小区名或楼栋，例如：绑定 阳光花园 3号楼，或：绑定 3号楼。"
BIND_UNKNOWN_ESTATE = "没有找到小区“{estate}”。{community}的小区有：{estates}。请核对后重新发送，例如：绑定 {example} 3号楼。"
BIND_UNKNOWN = "没有找到“{place}”对应的网格，请写小区名或楼栋号，例如：绑定 阳光花园 3号楼。"
BOUND = "已绑定到{community}{grid}。以后您反映的问题会直接进入本网格的认领队列。"
