import Input
import Testing
