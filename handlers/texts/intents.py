"""What residents read when a message is small talk or only asks for information."""

# Small talk: a kind line per kind of message, then how to go on. No ticket is opened.
SMALL_TALK = {
    "greeting": "您好！我是邻里，有什么需要直接告诉我，比如“3号楼楼道灯坏了”，我们会登记办理。",
    "thanks": "不客气，能帮上忙我们很高兴！还有需要随时告诉我们。",
    "ack": "好的。如还有问题，直接发文字告诉我们就行。",
    "staff": "人工服务请拨打社区电话（回复“服务中心”查看），或直接发文字说明情况，网格员会跟进。",
    "opener": "请直接用一两句话说明情况和地点，比如“5号楼门口垃圾没人清”，我们马上登记。",
    "bot": "我是邻里的自动助手，登记后由社区网格员和党员真人办理。有需要直接发文字告诉我。",
    "emoji": "收到！如需反映问题，请用文字说明情况，回复“帮助”查看更多功能。",
}
SMALL_TALK_FOOTER = "紧急情况请直接拨打 110/119/120。"

# An information-only question: the answer, then the ticket it was recorded as (私事).
ANSWERED = "{answer}\n已为您记录（编号 {id}）。如需社区帮忙办理，回复“需要帮助 {id}”。"
