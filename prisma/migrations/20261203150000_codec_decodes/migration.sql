-- Every decode through the codec endpoint is recorded: who, which suggestions, when, and whether
-- the proposers' details were revealed (office, admin) or redacted (everyone else).
CREATE TABLE "codec_decodes" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "staff_key_id" TEXT NOT NULL,
    "staff_label" TEXT NOT NULL,
    "staff_role" TEXT NOT NULL,
    "namespace" TEXT,
    "suggestion_ids" TEXT[],
    "payloads" INTEGER NOT NULL,
    "proposers_revealed" BOOLEAN NOT NULL,
    CONSTRAINT "codec_decodes_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "codec_decodes_at_idx" ON "codec_decodes"("at");
