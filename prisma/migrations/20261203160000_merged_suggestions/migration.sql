-- 合并办理: a suggestion merged into another is answered with it and counted with it as one matter;
-- the primary counts how many people raised the matter.
ALTER TABLE "suggestions" ADD COLUMN "merged_into" TEXT;
ALTER TABLE "suggestions" ADD COLUMN "raised_by" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "suggestions" ADD COLUMN "grouping" JSONB;
CREATE INDEX "suggestions_merged_into_idx" ON "suggestions"("merged_into");
