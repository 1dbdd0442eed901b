-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "jurisdiction" TEXT NOT NULL DEFAULT 'city';

-- AlterTable
ALTER TABLE "routing_rules" ADD COLUMN     "jurisdiction" TEXT NOT NULL DEFAULT 'city';

-- AlterTable
ALTER TABLE "suggestions" ADD COLUMN     "jurisdiction" TEXT NOT NULL DEFAULT 'city';

-- AlterTable
ALTER TABLE "time_limit_settings" ADD COLUMN     "jurisdiction" TEXT NOT NULL DEFAULT 'city';

-- AlterTable
ALTER TABLE "time_setting_changes" ADD COLUMN     "jurisdiction" TEXT NOT NULL DEFAULT 'city';

-- CreateTable
CREATE TABLE "city_profile" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "city" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "loaded_from" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "city_profile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profile_changes" (
    "id" SERIAL NOT NULL,
    "path" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "changed_by" TEXT NOT NULL,
    "changed_by_key_id" TEXT NOT NULL,
    "changed_by_role" TEXT NOT NULL,
    "changed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profile_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "profile_changes_changed_at_idx" ON "profile_changes"("changed_at");

-- CreateIndex
CREATE INDEX "suggestions_district_jurisdiction_idx" ON "suggestions"("district", "jurisdiction");

-- A suggestion about a district is held by that district's office until one hands it up or down.
UPDATE "suggestions" SET "jurisdiction" = "district" WHERE "district" <> 'city';
