-- A district's figures by street (统计逐级汇总) are counted from the district's suggestions of the
-- period (api/statistics.ts streetStatisticsQuery): found by district and date of receipt.
CREATE INDEX "suggestions_district_received_at_idx" ON "suggestions"("district", "received_at");

-- Campaigns belong to the level whose office made them (属地), as routing rules and time settings
-- do: that office and those above change them. Every campaign so far is the city's.
ALTER TABLE "campaigns" ADD COLUMN "jurisdiction" TEXT NOT NULL DEFAULT 'city';
