"""What members read about tasks, residents about their handled requests, and everyone about points."""

NOT_MEMBER = "认领任务需要先报到并通过审核：发送“报到 社区名 姓名 手机号”。"
PENDING_MEMBER = "您的报到申请还在审核中，通过后就能认领任务。"
REJECTED_MEMBER = "您的报到未通过审核，暂不能认领任务；如有疑问请联系社区。"
OTHER_COMMUNITY = "任务 {id} 属于{community}，只有该社区报到的党员可以认领。"

TASKS_HEADER = "可认领的任务（第 {page} 页）："
TASK_LINE = "{id}号{urgent} {where}：{text}"
URGENT_MARK = "【急】"
NO_GRID = "待定位"
TASKS_FOOTER = "回复“认领 编号”认领；回复“更多”看下一页。"
TASKS_LAST_FOOTER = "回复“认领 编号”认领。"
NO_TASKS = "附近暂时没有待认领的任务，谢谢您的关心！有新任务时再来看看。"
NO_MORE = "没有更多任务了。回复“任务”从头查看。"

USAGE = {
    "认领": "认领用法：认领 任务编号，例如：认领 12。",
    "进展": "进展用法：进展 任务编号 说明，例如：进展 12 已联系物业，明天上门。",
    "完成": "完成用法：完成 任务编号 说明，例如：完成 12 灯已换好。",
    "放弃": "放弃用法：放弃 任务编号 原因，例如：放弃 12 临时出差。",
    "评价": "评价用法：评价 编号 1到5分 意见，例如：评价 12 5 很及时。",
    "需要帮助": "用法：需要帮助 诉求编号，例如：需要帮助 12。",
    "分派": "分派用法：分派 编号 网格名，例如：分派 12 阳光第一网格。",
}
NO_TASK = "没有找到任务 {id}，请回复“任务”查看可认领的任务。"
NOT_CLAIMABLE = "任务 {id} 目前{status}，不能认领。回复“任务”查看其他任务。"
ALREADY_CLAIMED = "任务 {id} 已被其他党员认领，谢谢您！回复“任务”看看别的任务。"
YOU_HAVE_IT = "任务 {id} 已经由您认领，完成后回复“完成 {id} 说明”。"
CLAIMED = ("认领成功！任务 {id}：{text}\n{where}，请尽快联系处理；有进展回复“进展 {id} 说明”，"
           "办好后回复“完成 {id} 说明”。")
NOT_YOURS = "任务 {id} 不是您认领的，只有认领人可以更新它。"
NOT_ACTIVE = "任务 {id} 目前{status}，不能这样操作。回复“我的任务”查看您办理中的任务。"
NEED_NOTE = "请写上说明，例如：{example}"
PROGRESS_SAVED = "已记录任务 {id} 的进展，并已告知居民。"
DONE_SAVED = "任务 {id} 已办结，感谢您的付出！本次获得 {points} 积分，居民评价后还可能有奖励。"
RELEASED = "任务 {id} 已退回队列，其他党员可以继续认领。"
MY_NONE = "您目前没有办理中的任务。回复“任务”查看可认领的任务。"
MY_HEADER = "您办理中的任务："
MY_LINE = "{id}号 {since}认领：{text}"
MY_FOOTER = "回复“进展 编号 说明”或“完成 编号 说明”更新。"

PUSH_CLAIMED = "您的诉求 {id} 已由党员{member}认领，正在办理。回复“查询 {id}”查看进度。"
PUSH_PROGRESS = "您的诉求 {id} 有新进展：{note}"
PUSH_DONE = ("您的诉求 {id} 已办结：{note}\n请为这次办理打分：回复“评价 {id} 5”（1 到 5 分，可加意见）。")
PUSH_EXPIRED_MEMBER = "您认领的任务 {id} 超过时限没有进展，已退回队列。如仍在办理，可以重新认领。"
PUSH_ESCALATED = "【督办】诉求 {id}（{where}）已超过 {hours} 小时无人认领，请尽快安排：{text}"
PUSH_REOPENED = "【重办】诉求 {id} 居民评价 {rating} 分（{note}），已退回网格，请回复“分派 {id} 网格名”重新安排。"

NOT_YOUR_REQUEST = "没有找到您的诉求 {id}，请回复“查询”查看您的诉求编号。"
NOT_RATEABLE = "诉求 {id} 目前{status}，办结后才能评价。"
RATED_GOOD = "谢谢您的评价（{rating} 分）！诉求 {id} 已完结。"
RATED_BAD = "很抱歉这次办理让您不满意。诉求 {id} 已退回网格长重新安排，会有专人跟进。"
ALREADY_RATED = "诉求 {id} 已经评价过了，谢谢！"
HELP_NOT_ADVISED = "诉求 {id} 已在办理中（{status}），不需要再申请。回复“查询 {id}”查看进度。"
HELP_QUEUED = "好的，诉求 {id} 已转入网格认领队列，党员认领后会通知您。"
HELP_TRIAGE = "好的，诉求 {id} 已交给网格员分派。回复“绑定 小区名 楼栋”能让以后的诉求直接进入您的网格。"

GRID_HEAD_ONLY = "这个功能只对网格长和社区工作人员开放。"
TRIAGE_NONE = "目前没有待分派的诉求。"
TRIAGE_HEADER = "待分派的诉求（回复“分派 编号 网格名”）："
TRIAGE_LINE = "{id}号{urgent} {text}"
NOT_IN_TRIAGE = "诉求 {id} 目前{status}，不需要分派。"
ASSIGNED = "诉求 {id} 已分派到{grid}的认领队列。"
OUT_OF_SCOPE = "{name}不在您负责的范围内，无法操作。"

POINTS = ("您本月积分 {points} 分：网格内第 {grid_rank}/{grid_of} 名，社区内第 {community_rank}/{community_of} 名；"
          "累计 {total} 分。办结任务得 {per_task} 分，居民评价 4-5 分再加 {bonus} 分。")
RANKING_HEADER = "{community} {month} 积分排行："
RANKING_LINE = "{rank}. {name} {points}分"
RANKING_NONE = "{community} 本月还没有积分记录。认领并办结任务即可获得积分。"
