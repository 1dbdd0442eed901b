-- CreateTable
CREATE TABLE "departments" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "district" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "departments_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "routing_rules" (
    "id" SERIAL NOT NULL,
    "category" TEXT NOT NULL,
    "district" TEXT,
    "channel" TEXT,
    "lead_department" TEXT NOT NULL,
    "co_departments" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "priority" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "routing_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_days" (
    "date" DATE NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "calendar_days_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "calendar_years" (
    "year" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "loaded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_years_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "suggestions" (
    "id" TEXT NOT NULL,
    "tracking_number" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lead_department" TEXT,
    "co_departments" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "campaign_id" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL,
    "due_at" TIMESTAMP(3),
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "decision_reason" TEXT,
    "reply" TEXT,
    "decided_at" TIMESTAMP(3),
    "replied_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),
    "publish_consent" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "suggestions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "proposers" (
    "suggestion_id" TEXT NOT NULL,
    "name" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "reply_channel" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "proposers_pkey" PRIMARY KEY ("suggestion_id")
);

-- CreateTable
CREATE TABLE "suggestion_events" (
    "id" BIGSERIAL NOT NULL,
    "suggestion_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "suggestion_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "suggestion_id" TEXT,
    "recipient" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "department_code" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "routing_rules_category_district_idx" ON "routing_rules"("category", "district");

-- CreateIndex
CREATE INDEX "calendar_days_year_idx" ON "calendar_days"("year");

-- CreateIndex
CREATE UNIQUE INDEX "suggestions_tracking_number_key" ON "suggestions"("tracking_number");

-- CreateIndex
CREATE UNIQUE INDEX "suggestions_workflow_id_key" ON "suggestions"("workflow_id");

-- CreateIndex
CREATE INDEX "suggestions_lead_department_status_due_at_idx" ON "suggestions"("lead_department", "status", "due_at");

-- CreateIndex
CREATE INDEX "suggestions_status_due_at_idx" ON "suggestions"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "suggestion_events_suggestion_id_seq_key" ON "suggestion_events"("suggestion_id", "seq");

-- CreateIndex
CREATE INDEX "notifications_status_created_at_idx" ON "notifications"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- AddForeignKey
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_lead_department_fkey" FOREIGN KEY ("lead_department") REFERENCES "departments"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposers" ADD CONSTRAINT "proposers_suggestion_id_fkey" FOREIGN KEY ("suggestion_id") REFERENCES "suggestions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suggestion_events" ADD CONSTRAINT "suggestion_events_suggestion_id_fkey" FOREIGN KEY ("suggestion_id") REFERENCES "suggestions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
