"""What staff read in the console about their actions, and the pushes those actions send."""

GRID_OUT_OF_SCOPE = "只能分派到您负责范围内的网格，请重新选择。"
MEMBER_OUT_OF_SCOPE = "这位党员不在您负责的范围内，请重新选择。"
ALREADY_CLOSED = "诉求 {id} 已经关闭，无需再处理。"
CLOSE_NEEDS_NOTE = "关闭诉求时请写明处理结果，居民会收到这段说明。"
REASSIGN_NOTE = "改派至{grid}{member}"
ESCALATE_NOTE = "督办（第 {level} 级）"

REASSIGNED = "诉求 {id} 已改派。"
ESCALATED = "诉求 {id} 已督办。"
CLOSED = "诉求 {id} 已关闭，居民会收到通知。"
CHANGED_MEANWHILE = "诉求 {id} 刚刚被其他人处理过，请查看最新记录后再操作。"
NOT_FOUND = "没有找到诉求 {id}，或它不在您负责的范围内。"

ASSIGNED_TITLE = "社区给您分派了任务"
ASSIGNED_BODY = "社区给您分派了任务 {id}：{text}\n办理后请回复“完成 {id}”。"
CLOSED_TITLE = "诉求已办结"
CLOSED_BODY = "您的诉求（编号 {id}）社区已办结：{note}\n如有疑问，回复“查询 {id}”查看详情。"

NO_APPLICATION = "没有找到报到申请 {id}，或它不在您负责的社区。"
PROJECT_PUBLISHED = "项目 {id} 已发布，党员在聊天里回复“项目”即可看到并认领。"
BROADCAST_NOT_FOUND = "没有找到这条通知，或它不在您负责的范围内。"
