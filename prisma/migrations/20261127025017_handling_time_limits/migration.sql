-- AlterTable
ALTER TABLE "suggestions" ADD COLUMN     "handling" JSONB;

-- CreateTable
CREATE TABLE "time_limit_settings" (
    "id" SERIAL NOT NULL,
    "step" TEXT NOT NULL,
    "channel" TEXT,
    "category" TEXT,
    "amount" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "time_limit_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "time_limit_settings_step_idx" ON "time_limit_settings"("step");
