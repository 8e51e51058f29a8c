import GRDB
import Mustache
import Yams
import AuditQueries
