// Quiet by default; LOG_LEVEL=info npm test shows every service's JSON log lines.
process.env.LOG_LEVEL ??= 'error';
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
