-- CreateTable
CREATE TABLE "campaigns" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "collection_id" TEXT,
    "workflow_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "topics" TEXT[],
    "lead_department" TEXT NOT NULL,
    "joint_departments" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "districts" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "opens_at" TIMESTAMP(3) NOT NULL,
    "closes_at" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_entries" (
    "suggestion_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "topic" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_entries_pkey" PRIMARY KEY ("suggestion_id")
);

-- CreateTable
CREATE TABLE "campaign_digests" (
    "campaign_id" TEXT NOT NULL,
    "final" BOOLEAN NOT NULL DEFAULT false,
    "total" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "compiled_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "campaign_digests_pkey" PRIMARY KEY ("campaign_id")
);

-- CreateTable
CREATE TABLE "recurring_collections" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "topics" TEXT[],
    "lead_department" TEXT NOT NULL,
    "joint_departments" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "districts" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "round_working_days" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "recurring_collections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outstanding_suggestions" (
    "year" INTEGER NOT NULL,
    "suggestion_id" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "breakdown" JSONB NOT NULL,
    "rank" INTEGER NOT NULL,
    "nominated_at" TIMESTAMP(3),
    "nominated_by" TEXT,
    "nomination_note" TEXT,
    "awarded_at" TIMESTAMP(3),
    "citation" TEXT,

    CONSTRAINT "outstanding_suggestions_pkey" PRIMARY KEY ("year","suggestion_id")
);

-- CreateIndex
CREATE INDEX "campaigns_status_closes_at_idx" ON "campaigns"("status", "closes_at");

-- CreateIndex
CREATE INDEX "campaigns_collection_id_idx" ON "campaigns"("collection_id");

-- CreateIndex
CREATE INDEX "campaign_entries_campaign_id_idx" ON "campaign_entries"("campaign_id");

-- CreateIndex
CREATE INDEX "outstanding_suggestions_suggestion_id_idx" ON "outstanding_suggestions"("suggestion_id");
