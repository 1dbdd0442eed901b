-- Where and what: the matter's place (street or town and a point, kept with the suggestion), routing
-- rules for a street, Shanghai's streets and towns, and attachments kept in object storage.
-- AlterTable
ALTER TABLE "routing_rules" ADD COLUMN     "street" TEXT;

-- AlterTable
ALTER TABLE "suggestions" ADD COLUMN     "place" JSONB,
ADD COLUMN     "street" TEXT;

-- CreateTable
CREATE TABLE "streets" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "streets_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "attachments" (
    "id" TEXT NOT NULL,
    "uploaded_by" TEXT NOT NULL,
    "object_key" TEXT NOT NULL,
    "thumbnail_key" TEXT,
    "sha256" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "suggestion_id" TEXT,
    "purpose" TEXT,
    "milestone_id" TEXT,
    "attached_at" TIMESTAMP(3),

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "streets_district_idx" ON "streets"("district");

-- CreateIndex
CREATE INDEX "attachments_suggestion_id_idx" ON "attachments"("suggestion_id");

-- CreateIndex
CREATE INDEX "suggestions_district_street_idx" ON "suggestions"("district", "street");
