-- CreateTable
CREATE TABLE "time_setting_changes" (
    "id" SERIAL NOT NULL,
    "step" TEXT NOT NULL,
    "channel" TEXT,
    "category" TEXT,
    "previous_amount" INTEGER,
    "previous_unit" TEXT,
    "amount" INTEGER,
    "unit" TEXT,
    "changed_by" TEXT NOT NULL,
    "changed_by_key_id" TEXT NOT NULL,
    "changed_by_role" TEXT NOT NULL,
    "changed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "time_setting_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "time_setting_changes_changed_at_idx" ON "time_setting_changes"("changed_at");
