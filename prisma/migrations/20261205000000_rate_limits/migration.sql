-- Rate-limit windows every gateway process counts in (rate-limiter-flexible's RateLimiterPostgres
-- layout: key, points spent, window end in epoch ms). UNLOGGED: counters live seconds, so a crash
-- losing them is harmless and their constant rewrites need not go through the WAL.
CREATE UNLOGGED TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
