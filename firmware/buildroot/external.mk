include $(sort $(wildcard $(BR2_EXTERNAL_EDGEVERIFY_PATH)/package/*/*.mk))
