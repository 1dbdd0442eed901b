-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "send_after" TIMESTAMP(3);
