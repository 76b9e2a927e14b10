"""大事 handled by government departments: forwarded at intake, 签收, 退回, 答复, 转派, 督办."""
